"""Members' preferred categories and attribute values, from aggregated purchases."""


def top_labels(rows, limit=3):
    """Highest-weighted labels per key.

    :param rows: iterable of (key, label, weight); rows of weight <= 0 (returned goods) are left out.
    :return: dict key -> list of at most ``limit`` labels, highest weight first, ties by label.
    """
    grouped = {}
    for key, label, weight in rows:
        if weight > 0:
            grouped.setdefault(key, []).append((-weight, label))
    return {key: [label for _weight, label in sorted(items)[:limit]] for key, items in grouped.items()}


def attribute_summary(rows, limit=2):
    """One line per member: its most bought values of each attribute, attributes by name.

    :param rows: iterable of (member, attribute, value, weight).
    :return: dict member -> "Colour: Red, Blue; Size: M"
    """
    tops = top_labels(((member, attribute), value, weight) for member, attribute, value, weight in rows)
    summary = {}
    for (member, attribute), values in sorted(tops.items(), key=lambda item: (item[0][0], item[0][1])):
        summary.setdefault(member, []).append(f"{attribute}: {', '.join(values[:limit])}")
    return {member: "; ".join(parts) for member, parts in summary.items()}
