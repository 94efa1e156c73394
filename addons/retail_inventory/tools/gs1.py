"""GS1 labels at receiving. Odoo's GS1 nomenclature (``barcodes_gs1_nomenclature``, which Odoo's
own barcode features read GS1 with) splits a label into its application identifiers (AI); what
is here is only what receiving adds around it: the form a person types, which texts are meant as
labels, which labels were typed rather than scanned, and which of the AIs say the product, lot,
expiry and count.
"""

import re

# a symbology identifier, which some scanners put first
SYMBOLOGY_IDENTIFIERS = ("]C1", "]e0", "]d2", "]Q3", "]J1")
FNC1 = "\x1d"
TYPED = re.compile(r"(?:\(\d{2,4}\)[^()]+)+")
TYPED_FIELD = re.compile(r"\((\d{2,4})\)([^()]+)")
STARTS_WITH_GTIN = re.compile(r"0[12]\d{14}")
DIGITS = re.compile(r"\d+")
# the first group of a GS1 rule's pattern: its application identifier
RULE_IDENTIFIER = re.compile(r"\(([^)]*)\)")
PRODUCT, LOT, SERIAL, EXPIRY, BEST_BEFORE, COUNTS = ("01", "02"), "10", "21", "17", "15", ("37", "30")
EXPIRY_TIME, PRODUCTION_TIME = "7003", "8008"
# the digits of a date and time: YYMMDD, then the hours, then (8008) minutes and seconds if given
DATE_TIME_LENGTHS = {EXPIRY_TIME: (10,), PRODUCTION_TIME: (8, 10, 12)}
TIME = re.compile(r"(?:[01]\d|2[0-3])(?:[0-5]\d){0,2}")


class LabelError(ValueError):
    """A label receiving cannot take: ``problem`` is ``"twice"`` (``ai`` given more than once),
    ``"empty"`` (no lot or serial number after ``ai``), ``"nothing"`` (a count of 0), ``"date"``
    (an impossible date and time after ``ai``) or ``"no_product"``."""

    def __init__(self, problem, ai=None):
        super().__init__(problem, ai)
        self.problem = problem
        self.ai = ai


def gtin14(barcode):
    """A GTIN-8, -12, -13 or -14 as 14 digits, or ``None`` for anything else."""
    barcode = (barcode or "").strip()
    if len(barcode) in (8, 12, 13, 14) and DIGITS.fullmatch(barcode):
        return barcode.zfill(14)
    return None


def element_string(text):
    """``text`` as a scanner sends it: the form a person types, ``(01)…(17)…(10)…``, becomes
    the AIs and their data with FNC1 between fields; anything else is left as it is."""
    text = (text or "").strip()
    if not TYPED.fullmatch(text):
        return text
    return FNC1.join(ai + data for ai, data in TYPED_FIELD.findall(text))


def unknown_identifier(text, patterns):
    """The first application identifier of the typed label ``text`` that none of the GS1 rule
    ``patterns`` (``(AI)(data)``, the AI a regular expression) is for, else ``None``; also
    ``None`` for a raw label, which does not say where its identifiers are."""
    text = (text or "").strip()
    if not TYPED.fullmatch(text):
        return None
    known = [match.group(1) for match in map(RULE_IDENTIFIER.match, patterns) if match]
    return next((ai for ai, _data in TYPED_FIELD.findall(text)
                 if not any(re.fullmatch(identifier, ai) for identifier in known)), None)


def looks_like_label(text):
    """Whether ``text`` can only be meant as a GS1 label: it starts with a symbology
    identifier, with the typed form or with a GTIN (AI 01 or 02 and 14 digits), or holds an
    FNC1. A product barcode or a lot number does none of these."""
    text = (text or "").strip()
    return text.startswith((*SYMBOLOGY_IDENTIFIERS, "(")) or FNC1 in text or gtin_at_start(text) is not None


def gtin_at_start(text):
    """The 14 digits of the GTIN a label starts with (AI 01 or 02, after a symbology identifier
    or FNC1), or ``None``."""
    text = element_string(text)
    for prefix in SYMBOLOGY_IDENTIFIERS:
        text = text.removeprefix(prefix)
    match = STARTS_WITH_GTIN.match(text.lstrip(FNC1))
    return match.group()[2:] if match else None


def typed_by_hand(text, scanners_send_symbology=False):
    """Why the label ``text`` was typed by a person rather than sent by a scanner, as far as its
    characters tell, or ``None``.

    :param scanners_send_symbology: whether the scanners where ``text`` comes from put a
        symbology identifier (``]C1``…) before what they read
    :return: ``"typed_form"`` for the form printed under a barcode for people to read,
        ``(01)…(37)…``, which no scanner sends; ``"no_symbology"`` for a label without the
        symbology identifier such scanners send; else ``None``: a label as a scanner sends it,
        which a person who types it that way (symbology identifier included) sends just as well
    """
    text = (text or "").strip()
    if TYPED.fullmatch(text):
        return "typed_form"
    if scanners_send_symbology and not text.startswith(SYMBOLOGY_IDENTIFIERS):
        return "no_symbology"
    return None


def date_and_time(ai, digits, gs1_date):
    """The date of the date and time ``digits`` of ``ai`` (7003 or 8008), whose hours, minutes
    and seconds are checked; the day is never 00 there.

    :param gs1_date: converts YYMMDD into a ``datetime.date`` (GS1's century rule) and raises
        ``ValueError`` on an impossible date
    :raise LabelError: ``"date"``, when the date or time is impossible
    """
    if len(digits) not in DATE_TIME_LENGTHS[ai] or digits[4:6] == "00" or not TIME.fullmatch(digits[6:]):
        raise LabelError("date", ai)
    try:
        return gs1_date(digits[:6])
    except ValueError:
        raise LabelError("date", ai) from None


def receiving_values(elements, gs1_date):
    """What receiving takes from a label that Odoo's GS1 nomenclature has split.

    :param elements: the nomenclature's ``parse_barcode`` result, dicts with ``ai`` and
        ``value`` (a ``datetime.date`` for a date, a number for a count, the digits of a date and
        time)
    :param gs1_date: see ``date_and_time``
    :return: dict with ``gtin`` (14 digits) and, when the label has them, ``lot``, ``serial``,
        ``expiry`` (the earlier of the expiration date and the date of the expiration date and
        time; else the best before date) and ``count``
    :raise LabelError: when an AI is given twice, a lot or serial number is empty, the count
        is 0, a date and time is impossible, or no AI names the product
    """
    values = {}
    for element in elements:
        if element["ai"] in values:
            raise LabelError("twice", element["ai"])
        values[element["ai"]] = element["value"]
    days = {ai: date_and_time(ai, values[ai], gs1_date) for ai in DATE_TIME_LENGTHS if ai in values}
    gtin = next((values[ai] for ai in PRODUCT if ai in values), None)
    if not gtin:
        raise LabelError("no_product")
    result = {"gtin": gtin}
    for ai, key in ((LOT, "lot"), (SERIAL, "serial")):
        if ai in values:
            if not values[ai]:
                raise LabelError("empty", ai)
            result[key] = values[ai]
    expiries = [day for day in (values.get(EXPIRY), days.get(EXPIRY_TIME)) if day]
    expiry = min(expiries) if expiries else values.get(BEST_BEFORE)
    if expiry:
        result["expiry"] = expiry
    counting = next((ai for ai in COUNTS if ai in values), None)
    if counting:
        if not values[counting]:
            raise LabelError("nothing", counting)
        result["count"] = values[counting]
    return result
