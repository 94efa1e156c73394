"""GS1 element strings as a scanner types them (GS1-128, GS1 DataMatrix, GS1 QR): which product,
which lot, when it expires and how many units the label stands for.

Two forms are read: the raw one, application identifiers (AI) followed by their data, a
variable-length field ended by the FNC1 separator (ASCII 29, or ``#`` from scanners set to
replace it) unless it is the last one; and the human-readable one, ``(01)...(17)...(10)...``.
Only the identifiers below are known; a string with any other one is not read as GS1, so that
an ordinary barcode is never mistaken for one.
"""

import calendar
import datetime
import re

SEPARATORS = ("\x1d", "#")
# prefixes some scanners put before the data to tell the symbology
SYMBOLOGY_IDENTIFIERS = ("]C1", "]e0", "]d2", "]Q3", "]J1")
# AI: (length of the data, fixed length)
IDENTIFIERS = {
    "00": (18, True),  # SSCC, the logistic unit
    "01": (14, True),  # GTIN of the trade item
    "02": (14, True),  # GTIN of the trade items contained in a logistic unit
    "10": (20, False),  # batch or lot number
    "11": (6, True),  # production date
    "12": (6, True),  # due date
    "13": (6, True),  # packaging date
    "15": (6, True),  # best before date
    "16": (6, True),  # sell by date
    "17": (6, True),  # expiration date
    "20": (2, True),  # internal product variant
    "21": (20, False),  # serial number
    "22": (20, False),  # consumer product variant
    "30": (8, False),  # variable count of items
    "37": (8, False),  # count of trade items contained in a logistic unit
    "240": (30, False),  # additional product identification
    "241": (30, False),  # customer part number
    "250": (30, False),  # secondary serial number
    "251": (30, False),  # reference to source entity
    "400": (30, False),  # customer's purchase order number
    "401": (30, False),  # global identification number for consignment
    "403": (30, False),  # routing code
    **{f"41{digit}": (13, True) for digit in "01234567"},  # global location numbers
}
# measures: four-digit AI 310n-369n (n = decimals), six digits
MEASURE = re.compile(r"3[1-6]\d\d")
DIGITS = re.compile(r"\d+")
# GS1 AI encodable character set 82
CHARACTERS = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+")
HUMAN_READABLE = re.compile(r"\((\d{2,4})\)([^()]*)")
DATES = {"11", "12", "13", "15", "16", "17"}
NUMERIC = {"00", "01", "02", "11", "12", "13", "15", "16", "17", "20", "30", "37"} | {f"41{d}" for d in "01234567"}


def check_digit(digits):
    """GS1 check digit of ``digits`` (the number without its check digit)."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def gtin14(barcode):
    """A GTIN-8, -12, -13 or -14 as 14 digits, or ``None`` for anything else."""
    barcode = (barcode or "").strip()
    if len(barcode) in (8, 12, 13, 14) and DIGITS.fullmatch(barcode):
        return barcode.zfill(14)
    return None


def gs1_date(yymmdd, today=None):
    """The date of a GS1 ``YYMMDD``: the century is the one that puts the year within 49 years
    back and 50 years ahead of ``today`` (GS1 General Specifications 7.12); day 00 is the last
    day of the month. ``None`` when it is not a date."""
    today = today or datetime.date.today()
    year, month, day = int(yymmdd[0:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    difference = year - today.year % 100
    century = today.year // 100 - (1 if difference >= 51 else 0) + (1 if difference <= -50 else 0)
    year += century * 100
    if not 1 <= month <= 12:
        return None
    if day == 0:
        day = calendar.monthrange(year, month)[1]
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _split_raw(text):
    """(AI, data) pairs of a raw element string, or ``None`` if it is not one."""
    elements = []
    position = 0
    while position < len(text):
        if text[position] in SEPARATORS:
            position += 1
            continue
        for width in (2, 3, 4):
            identifier = text[position:position + width]
            if identifier in IDENTIFIERS or (width == 4 and MEASURE.fullmatch(identifier)):
                break
        else:
            return None
        length, fixed = IDENTIFIERS.get(identifier, (6, True))
        start = position + len(identifier)
        if fixed:
            data = text[start:start + length]
            if len(data) != length:
                return None
            position = start + length
        else:
            ends = [index for index in (text.find(separator, start) for separator in SEPARATORS) if index >= 0]
            end = min(ends, default=len(text))
            data = text[start:end]
            if not data or len(data) > length:
                return None
            position = end
        elements.append((identifier, data))
    return elements


def _split_human_readable(text):
    elements = HUMAN_READABLE.findall(text)
    if not elements or "".join(f"({ai}){data}" for ai, data in elements) != text:
        return None
    for identifier, data in elements:
        if not (identifier in IDENTIFIERS or MEASURE.fullmatch(identifier)):
            return None
        length, fixed = IDENTIFIERS.get(identifier, (6, True))
        if not data or len(data) > length or (fixed and len(data) != length):
            return None
    return elements


def parse(barcode, today=None):
    """Read a scanned GS1 element string.

    :return: dict with ``gtin`` (14 digits) and, when the label has them, ``lot``, ``serial``,
        ``expiry`` (a date; the best before date when there is no expiration date) and
        ``count`` (units the label stands for); ``None`` when ``barcode`` is not a valid GS1
        element string naming a trade item (unknown identifier, wrong length or check digit,
        impossible date)
    """
    text = (barcode or "").strip()
    for prefix in SYMBOLOGY_IDENTIFIERS:
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    text = text.lstrip("".join(SEPARATORS))
    elements = _split_human_readable(text) if text.startswith("(") else _split_raw(text)
    if not elements:
        return None
    values = {}
    for identifier, data in elements:
        if (identifier in NUMERIC or MEASURE.fullmatch(identifier)) and not DIGITS.fullmatch(data):
            return None
        if not CHARACTERS.fullmatch(data) or identifier in values:
            return None
        values[identifier] = data
    gtin = values.get("01") or values.get("02")
    if not gtin or check_digit(gtin[:-1]) != gtin[-1]:
        return None
    result = {"gtin": gtin}
    for identifier in DATES & values.keys():
        if gs1_date(values[identifier], today) is None:
            return None
    if "17" in values or "15" in values:
        result["expiry"] = gs1_date(values.get("17") or values["15"], today)
    if "10" in values:
        result["lot"] = values["10"]
    if "21" in values:
        result["serial"] = values["21"]
    count = values.get("37") or values.get("30")
    if count is not None:
        if not int(count):
            return None
        result["count"] = int(count)
    return result
