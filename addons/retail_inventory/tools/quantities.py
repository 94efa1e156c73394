"""Quantities in the messages people read at receiving, counting and dispatching."""


def format_quantity(value, digits=3):
    """A quantity as people write it: ``6``, ``2.5``, ``0.125`` — no trailing zeros, no
    exponent, no float noise (``19.9999999`` is ``20``)."""
    text = f"{round(float(value), digits):.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
