"""Small inline SVG charts for reports and review items (no JavaScript needed)."""

from html import escape


def sparkline_svg(values, width=240, height=48, highlight_last=True, color="#017e84", label=""):
    """An SVG polyline of ``values`` with the last point marked; an empty string when empty."""
    values = [float(v or 0.0) for v in values]
    if not values:
        return ""
    top = max(values) or 1.0
    bottom = min(0.0, min(values))
    span = (top - bottom) or 1.0
    step = width / max(len(values) - 1, 1)
    points = [
        (round(i * step, 1), round(height - 4 - (v - bottom) / span * (height - 8), 1))
        for i, v in enumerate(values)
    ]
    path = " ".join(f"{x},{y}" for x, y in points)
    last = ""
    if highlight_last:
        x, y = points[-1]
        last = f'<circle cx="{x}" cy="{y}" r="3" fill="#d9534f"/>'
    title = f"<title>{escape(label)}</title>" if label else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="-4 0 {width + 8} {height}" role="img">{title}'
        f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}"/>{last}</svg>'
    )


def bar_chart_svg(labels, values, width=320, bar_height=16, color="#714b67"):
    """Horizontal bars with labels, for the top products of a close pack."""
    values = [float(v or 0.0) for v in values]
    if not values:
        return ""
    top = max(max(values), 1e-9)
    label_width = 120
    rows = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = i * (bar_height + 4)
        length = max((width - label_width - 60) * value / top, 1)
        rows.append(
            f'<text x="0" y="{y + bar_height - 4}" font-size="11">{escape(str(label))[:22]}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{color}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 4}" font-size="11">{value:,.2f}</text>'
        )
    height = len(values) * (bar_height + 4)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">'
        + "".join(rows) + "</svg>"
    )
