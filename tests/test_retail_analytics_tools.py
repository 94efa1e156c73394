"""Day ranges of the dashboard and the spreadsheet of the close pack, without a database."""

import datetime
import io

import openpyxl
from conftest import load_tool

day_ranges = load_tool("retail_analytics", "day_ranges")
xlsx = load_tool("retail_analytics", "xlsx")

DAY = datetime.date(2026, 3, 10)


def days(*offsets):
    return [DAY + datetime.timedelta(days=offset) for offset in offsets]


def test_contiguous_ranges_merge_runs_and_overlaps():
    assert day_ranges.contiguous_ranges(days(3, 0, 1, 2, 2, 7, 9, 8, -364)) == [
        (days(-364)[0], days(-364)[0]), (DAY, days(3)[0]), (days(7)[0], days(9)[0])]


def test_contiguous_ranges_of_nothing():
    assert day_ranges.contiguous_ranges([]) == []


def test_days_between_includes_both_ends():
    assert day_ranges.days_between(DAY, days(2)[0]) == days(0, 1, 2)
    assert day_ranges.days_between(DAY, DAY) == [DAY]


def read(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_workbook_has_one_sheet_per_table_with_values_and_totals():
    data = xlsx.workbook_bytes([
        xlsx.Sheet("Summary", [("Figure", "text"), ("Value", "general")], [["Sales", 24.6], ["Tickets", 4]]),
        xlsx.Sheet("Cashiers", [("Cashier", "text"), ("Sales", "money"), ("Tickets", "integer")],
                   [["Ann", 13.6, 3], ["Bo", 11.0, 1]], ["Total", 24.6, 4]),
    ])
    book = read(data)
    assert book.sheetnames == ["Summary", "Cashiers"]
    assert list(book["Summary"].iter_rows(values_only=True)) == [("Figure", "Value"), ("Sales", 24.6), ("Tickets", 4)]
    cashiers = book["Cashiers"]
    assert list(cashiers.iter_rows(values_only=True)) == [
        ("Cashier", "Sales", "Tickets"), ("Ann", 13.6, 3), ("Bo", 11.0, 1), ("Total", 24.6, 4)]
    assert cashiers["B2"].number_format == "#,##0.00"
    assert cashiers["C3"].number_format == "#,##0"
    assert cashiers["A1"].font.bold and cashiers["A4"].font.bold and not cashiers["A2"].font.bold
    assert cashiers.freeze_panes == "A2"


def test_empty_table_keeps_its_header():
    book = read(xlsx.workbook_bytes([xlsx.Sheet("Stockouts", [("Product", "text"), ("On Hand", "quantity")], [])]))
    assert list(book["Stockouts"].iter_rows(values_only=True)) == [("Product", "On Hand")]


def test_sheet_titles_are_made_valid_and_unique():
    taken = set()
    assert xlsx.sheet_title("Sales: 2026/03/10 [store]", taken) == "Sales  2026 03 10  store"
    assert xlsx.sheet_title("A" * 40, taken) == "A" * 31
    assert xlsx.sheet_title("a" * 40, taken) == "a" * 27 + " (2)"
    assert xlsx.sheet_title("", taken) == "Sheet"
