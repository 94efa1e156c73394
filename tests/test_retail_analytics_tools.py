"""Day ranges of the dashboard, without a database."""

import datetime

from conftest import load_tool

day_ranges = load_tool("retail_analytics", "day_ranges")

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
