"""Reading GS1 labels scanned on a receipt: product, lot, expiry and count."""

import datetime

import pytest
from conftest import load_tool

gs1 = load_tool("retail_inventory", "gs1")

TODAY = datetime.date(2026, 11, 30)
# a valid GTIN-14 (the GS1 General Specifications' own example) and an EAN-13 made into one
GTIN = "09506000134352"
EAN13 = "6901234567892"


def test_raw_label_with_expiry_and_lot_last():
    assert gs1.parse(f"01{GTIN}17261231" + "10SUP-LOT-7", TODAY) == {
        "gtin": GTIN, "expiry": datetime.date(2026, 12, 31), "lot": "SUP-LOT-7"}


def test_variable_field_ended_by_the_separator():
    # the lot comes first and ends with FNC1 (ASCII 29), or "#" from a scanner set to replace it
    expected = {"gtin": GTIN, "lot": "A1", "expiry": datetime.date(2027, 1, 15), "count": 12}
    assert gs1.parse(f"]C110A1\x1d01{GTIN}1727011537" + "12", TODAY) == expected
    assert gs1.parse(f"10A1#01{GTIN}1727011537" + "12", TODAY) == expected


def test_human_readable_form():
    assert gs1.parse(f"(01){GTIN}(17)270228(10)L 42", TODAY) is None  # a space is not a GS1 character
    assert gs1.parse(f"(01){GTIN}(17)270228(10)L-42", TODAY) == {
        "gtin": GTIN, "expiry": datetime.date(2027, 2, 28), "lot": "L-42"}


def test_logistic_unit_label_counts_its_items():
    # SSCC, GTIN of the contained items, their count, lot, best before (no expiration date)
    label = "00006141411234567890" + f"02{GTIN}" + "3724\x1d" + "10B7\x1d" + "15270310"
    assert gs1.parse(label, TODAY) == {"gtin": GTIN, "count": 24, "lot": "B7", "expiry": datetime.date(2027, 3, 10)}


def test_serial_number_and_a_measure():
    assert gs1.parse(f"01{GTIN}3102001250" + "21SN0001", TODAY) == {"gtin": GTIN, "serial": "SN0001"}


def test_ean13_is_the_gtin_with_a_leading_zero():
    assert gs1.gtin14(EAN13) == "0" + EAN13
    assert gs1.gtin14("12345670") == "00000012345670"
    assert gs1.gtin14("ABC") is None and gs1.gtin14("123") is None and gs1.gtin14(False) is None
    assert gs1.parse(f"01{gs1.gtin14(EAN13)}" + "10X", TODAY)["gtin"] == "06901234567892"


@pytest.mark.parametrize("barcode", [
    EAN13,  # an ordinary product barcode
    "6900000000011",
    "NOT-A-BARCODE",
    "",
    f"01{GTIN[:-1]}3",  # wrong check digit
    f"01{GTIN}17261331",  # month 13
    f"01{GTIN}17260230",  # 30 February
    f"01{GTIN}99ABC",  # unknown identifier
    f"01{GTIN}10" + "L" * 21,  # lot longer than 20 characters
    f"01{GTIN}10",  # empty lot
    "10LOT17261231",  # no product
    f"01{GTIN}3700",  # a count of nothing
    f"01{GTIN}01{GTIN}",  # the same identifier twice
    f"01{GTIN}17AB1231",  # letters in a date
])
def test_what_is_not_a_gs1_label(barcode):
    assert gs1.parse(barcode, TODAY) is None


@pytest.mark.parametrize(("yymmdd", "expected"), [
    ("261231", datetime.date(2026, 12, 31)),
    ("270200", datetime.date(2027, 2, 28)),  # day 00: the last day of the month
    ("280200", datetime.date(2028, 2, 29)),
    ("760101", datetime.date(2076, 1, 1)),  # 50 years ahead: still this century
    ("770101", datetime.date(1977, 1, 1)),  # 51 years ahead: the last century
    ("991231", datetime.date(1999, 12, 31)),
])
def test_century_of_a_date(yymmdd, expected):
    assert gs1.gs1_date(yymmdd, TODAY) == expected


def test_century_rolls_forward_near_the_end_of_one():
    assert gs1.gs1_date("010101", datetime.date(2090, 6, 1)) == datetime.date(2101, 1, 1)
