"""Chinese taxpayer identification numbers (纳税人识别号) of invoice buyers.

A buyer's tax id is 15 characters (old tax registration number), 18 characters (the unified
social credit code, 统一社会信用代码, GB 32100-2015, whose last character is a check digit) or
20 characters (an individual business's old number: an identity card number and two more).
"""

import re

# GB 32100-2015: the 31 characters a unified social credit code may use (no I, O, S, V, Z)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_OLD_NUMBER = re.compile(r"^[0-9A-Z]+$")


def normalize_tax_id(value):
    """The tax id as providers expect it: upper case, without spaces."""
    return re.sub(r"\s+", "", value or "").upper()


def uscc_check_character(first17):
    """The 18th character of a unified social credit code whose first 17 are ``first17``."""
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


PROBLEMS = {
    "length": "a tax id has 15, 18 or 20 characters",
    "alphabet": "a unified social credit code uses digits and capital letters other than I, O, S, V and Z",
    "check": "the check character of the unified social credit code is wrong",
    "characters": "a tax id uses digits and capital letters only",
}


def tax_id_problem(value):
    """``None`` when ``value`` is a well-formed tax id, else the key of its problem in ``PROBLEMS``."""
    tax_id = normalize_tax_id(value)
    if len(tax_id) not in (15, 18, 20):
        return "length"
    if len(tax_id) == 18:
        if any(char not in USCC_ALPHABET for char in tax_id):
            return "alphabet"
        if uscc_check_character(tax_id[:17]) != tax_id[17]:
            return "check"
        return None
    if not _OLD_NUMBER.match(tax_id):
        return "characters"
    return None
