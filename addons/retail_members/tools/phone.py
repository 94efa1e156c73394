"""Mainland China mobile numbers: normalisation and masking."""

import re

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-().]")


def normalise_mobile(value):
    """Return the 11-digit mobile number, or ``None`` when ``value`` is not a mainland mobile.

    Spaces, dashes, dots, brackets and a ``+86`` / ``0086`` / ``86`` country prefix are removed.
    """
    if not value:
        return None
    digits = _SEPARATORS.sub("", str(value))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if MOBILE_RE.match(digits) else None


def mask_mobile(mobile):
    """``13812345678`` -> ``138****5678``; anything shorter is fully masked."""
    if not mobile:
        return ""
    if len(mobile) < 8:
        return "*" * len(mobile)
    return f"{mobile[:3]}****{mobile[-4:]}"


def ean13_check_digit(first12):
    """Check digit of an EAN-13 code given its first 12 digits."""
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(first12))
    return str((10 - total % 10) % 10)


def card_barcode(prefix, number):
    """EAN-13 card barcode: ``prefix`` + zero-padded ``number`` + check digit."""
    body = f"{prefix}{int(number):0{12 - len(prefix)}d}"
    if len(body) != 12:
        raise ValueError(f"card number {number} does not fit in an EAN-13 with prefix {prefix}")
    return body + ean13_check_digit(body)
