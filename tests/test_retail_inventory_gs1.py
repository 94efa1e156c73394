"""What receiving adds around Odoo's GS1 nomenclature: the typed form of a label, which texts are
meant as labels, which were typed by hand, and what it takes from the application identifiers the
nomenclature split.
Reading labels end to end is tested in Odoo (``retail_inventory/tests/test_scan_gs1_labels.py``)."""

import datetime

import pytest
from conftest import load_tool

gs1 = load_tool("retail_inventory", "gs1")

GTIN = "09506000134352"
EAN13 = "6901234567892"
EXPIRY = datetime.date(2027, 2, 28)


def gs1_date(yymmdd):
    """The nomenclature's conversion, for this century's dates (``ValueError`` when impossible)."""
    return datetime.date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))


def values_of(*pairs):
    return gs1.receiving_values(elements(*pairs), gs1_date)


def elements(*pairs):
    """Application identifiers and values as the nomenclature's ``parse_barcode`` gives them."""
    return [{"ai": ai, "value": value} for ai, value in pairs]


def test_ean13_is_the_gtin_with_a_leading_zero():
    assert gs1.gtin14(EAN13) == "0" + EAN13
    assert gs1.gtin14("12345670") == "00000012345670"
    assert gs1.gtin14("ABC") is None and gs1.gtin14("123") is None and gs1.gtin14(False) is None


def test_typed_label_becomes_what_a_scanner_sends():
    assert gs1.element_string(f"(01){GTIN}(10)L-42(17)270228") == f"01{GTIN}\x1d10L-42\x1d17270228"
    assert gs1.element_string(f" (01){GTIN} ") == f"01{GTIN}"
    for text in (f"01{GTIN}10L-42", "(01)", f"(01){GTIN}(10)", "(A1)B", f"x(01){GTIN}", EAN13, ""):
        assert gs1.element_string(text) == text.strip()


@pytest.mark.parametrize("text", [
    f"]C110A1\x1d01{GTIN}", f"]d201{GTIN}", f"(10)A1(01){GTIN}", f"10A1\x1d01{GTIN}", f"01{GTIN}10A1",
    f"02{GTIN}3712", f"\x1d01{GTIN}", f"01{GTIN[:-1]}3",
])
def test_what_can_only_be_a_label(text):
    assert gs1.looks_like_label(text)


@pytest.mark.parametrize("text", [EAN13, "6900000000011", "10ABC", "YOG-A-1", f"03{GTIN}", f"01{GTIN[:-1]}", ""])
def test_product_barcodes_and_lot_numbers_are_not_labels(text):
    assert not gs1.looks_like_label(text)


def test_gtin_at_the_start_of_a_label():
    assert gs1.gtin_at_start(f"]C101{GTIN}10A") == GTIN
    assert gs1.gtin_at_start(f"\x1d02{GTIN}") == GTIN
    assert gs1.gtin_at_start(f"(01){GTIN}(10)A") == GTIN
    assert gs1.gtin_at_start(f"10A\x1d01{GTIN}") is None


def test_product_lot_expiry_and_count():
    assert values_of(("01", GTIN), ("17", EXPIRY), ("10", "L-42"), ("37", 12)) == {
        "gtin": GTIN, "expiry": EXPIRY, "lot": "L-42", "count": 12}


def test_logistic_unit_best_before_and_serial():
    assert values_of(("00", "006141411234567890"), ("02", GTIN), ("15", EXPIRY), ("21", "SN1"), ("30", 3)) == {
        "gtin": GTIN, "expiry": EXPIRY, "serial": "SN1", "count": 3}


def test_expiration_date_before_best_before_and_measures_ignored():
    values = values_of(("01", GTIN), ("15", datetime.date(2027, 3, 1)), ("17", EXPIRY), ("3102", 12.5))
    assert values == {"gtin": GTIN, "expiry": EXPIRY}


def test_expiry_date_and_time_gives_the_expiry_date():
    assert values_of(("01", GTIN), ("7003", "2702281430"), ("10", "L-42")) == {
        "gtin": GTIN, "expiry": EXPIRY, "lot": "L-42"}
    # with an expiration date too, the earlier; before a best before date
    assert values_of(("01", GTIN), ("17", EXPIRY), ("7003", "2702271430"))["expiry"] == datetime.date(2027, 2, 27)
    assert values_of(("01", GTIN), ("17", datetime.date(2027, 2, 27)), ("7003", "2702281430"))["expiry"] == \
        datetime.date(2027, 2, 27)
    assert values_of(("01", GTIN), ("15", datetime.date(2027, 2, 27)), ("7003", "2702280000"))["expiry"] == EXPIRY


def test_identifiers_receiving_does_not_use_are_ignored():
    assert values_of(("01", GTIN), ("11", datetime.date(2026, 1, 5)), ("16", datetime.date(2027, 1, 31)),
                     ("20", "02"), ("240", "A-7"), ("250", "S2"), ("400", "PO-88"), ("412", "9506000134352"),
                     ("422", "156"), ("8008", "2601050830")) == {"gtin": GTIN}


@pytest.mark.parametrize("digits", ["26010508", "2601050830", "260105083059", "260105233000"])
def test_production_date_and_time_in_each_of_its_lengths(digits):
    assert gs1.date_and_time("8008", digits, gs1_date) == datetime.date(2026, 1, 5)


@pytest.mark.parametrize(("ai", "digits"), [
    ("7003", "27022814"),  # no minutes
    ("7003", "2702282430"),  # hour 24
    ("7003", "2702281460"),  # minute 60
    ("7003", "2702300900"),  # 30 February
    ("7003", "2702000900"),  # day 00 is for dates alone
    ("8008", "260105083"),  # half a minute
    ("8008", "26010508301"),
    ("8008", "260105083060"),  # second 60
    ("8008", "26130508"),  # month 13
])
def test_impossible_dates_and_times(ai, digits):
    with pytest.raises(gs1.LabelError) as caught:
        values_of(("01", GTIN), (ai, digits))
    assert (caught.value.problem, caught.value.ai) == ("date", ai)


def test_typed_labels():
    assert gs1.typed_by_hand(f"(01){GTIN}(37)5") == "typed_form"
    assert gs1.typed_by_hand(f" (01){GTIN}(37)5 ", scanners_send_symbology=True) == "typed_form"
    assert gs1.typed_by_hand(f"01{GTIN}375") is None
    assert gs1.typed_by_hand(f"01{GTIN}375", scanners_send_symbology=True) == "no_symbology"
    assert gs1.typed_by_hand(f"\x1d01{GTIN}375", scanners_send_symbology=True) == "no_symbology"
    for prefix in ("]C1", "]d2", "]Q3", "]e0", "]J1"):
        assert gs1.typed_by_hand(f"{prefix}01{GTIN}375", scanners_send_symbology=True) is None
    # a symbology identifier that a person typed reads as scanned: the characters are the same
    assert gs1.typed_by_hand(f"]C101{GTIN}375", scanners_send_symbology=True) is None


def test_unknown_identifier_of_a_typed_label():
    patterns = [r"(01)(\d{14})", r"(10)([!\"%-/0-9:-?A-Z_a-z]{0,20})", r"(310[0-5])(\d{6})", r"(7003)(\d{10})"]
    assert gs1.unknown_identifier(f"(01){GTIN}(3102)001250(7007)260101(99)X", patterns) == "7007"
    assert gs1.unknown_identifier(f"(01){GTIN}(3106)001250", patterns) == "3106"
    assert gs1.unknown_identifier(f"(01){GTIN}(10)A(7003)2702281430", patterns) is None
    assert gs1.unknown_identifier(f"01{GTIN}7007260101", patterns) is None


@pytest.mark.parametrize(("pairs", "problem", "ai"), [
    ((("01", GTIN), ("01", GTIN)), "twice", "01"),
    ((("01", GTIN), ("10", "")), "empty", "10"),
    ((("01", GTIN), ("21", "")), "empty", "21"),
    ((("01", GTIN), ("37", 0)), "nothing", "37"),
    ((("10", "A1"), ("17", EXPIRY)), "no_product", None),
    ((), "no_product", None),
])
def test_what_receiving_cannot_take(pairs, problem, ai):
    with pytest.raises(gs1.LabelError) as caught:
        values_of(*pairs)
    assert (caught.value.problem, caught.value.ai) == (problem, ai)
