import numpy as np
import pytest
from conftest import load_tool

tiers = load_tool("retail_members", "tiers")
phone = load_tool("retail_members", "phone")
points = load_tool("retail_members", "points")
rfm = load_tool("retail_members", "rfm")
preferences = load_tool("retail_members", "preferences")

THRESHOLDS = np.array([0.0, 1000.0, 5000.0, 20000.0])
GRACE = np.array([0, 30, 30, 30])


@pytest.mark.parametrize(("spend", "expected"), [
    (999.99, 0), (1000.00, 1), (1000.01, 1),
    (4999.99, 1), (5000.00, 2), (19999.99, 2), (20000.00, 3), (0.0, 0),
])
def test_qualifying_tier_one_cent_below_at_above(spend, expected):
    metrics = np.repeat([[spend]], 4, axis=1)
    assert tiers.qualifying_tier(metrics, THRESHOLDS).tolist() == [expected]


def test_upgrade_is_immediate():
    new, below = tiers.evaluate([0, 1], np.array([[5000.0] * 4, [20000.0] * 4]), THRESHOLDS, [-1, -1], GRACE)
    assert new.tolist() == [2, 3]
    assert below.tolist() == [-1, -1]


def test_new_member_gets_qualifying_tier():
    new, _below = tiers.evaluate([-1], np.array([[1500.0] * 4]), THRESHOLDS, [-1], GRACE)
    assert new.tolist() == [1]


def test_downgrade_only_after_grace():
    metrics = np.array([[999.99] * 4] * 4)
    # just fell below: clock starts, tier kept
    new, below = tiers.evaluate([1, 1, 1, 1], metrics, THRESHOLDS, [-1, 29, 30, 31], GRACE)
    assert new.tolist() == [1, 1, 0, 0]
    assert below.tolist() == [0, 29, -1, -1]


def test_back_above_threshold_resets_grace_clock():
    new, below = tiers.evaluate([2], np.array([[5000.0] * 4]), THRESHOLDS, [20], GRACE)
    assert new.tolist() == [2]
    assert below.tolist() == [-1]


def test_without_downgrade_the_clock_runs_but_tier_stays():
    new, below = tiers.evaluate([2], np.array([[0.0] * 4]), THRESHOLDS, [90], GRACE, allow_downgrade=False)
    assert new.tolist() == [2]
    assert below.tolist() == [90]


def test_ladder_positions_of_members_tiers():
    # ladder order differs from id order; 0 = no tier, 99 = a tier off the ladder
    positions = tiers.ladder_positions([12, 7, 0, 30, 99], [7, 30, 12])
    assert positions.tolist() == [2, 0, -1, 1, -1]
    assert tiers.ladder_positions([5], []).tolist() == [-1]


def test_metrics_per_tier_basis():
    # tier 2 qualifies on points (second column source), others on spend
    metrics = np.array([[100.0, 100.0, 6000.0, 100.0]])
    assert tiers.qualifying_tier(metrics, THRESHOLDS).tolist() == [2]


@pytest.mark.parametrize(("raw", "expected"), [
    ("138 1234 5678", "13812345678"), ("+86 138-1234-5678", "13812345678"),
    ("8613812345678", "13812345678"), ("0086 13812345678", "13812345678"),
    ("12812345678", None), ("1381234567", None), ("abc", None), ("", None),
])
def test_normalise_mobile(raw, expected):
    assert phone.normalise_mobile(raw) == expected


def test_mask_mobile():
    assert phone.mask_mobile("13812345678") == "138****5678"


def test_card_barcode_is_valid_ean13():
    code = phone.card_barcode("042", 17)
    assert code == "0420000000174"
    assert phone.ean13_check_digit("400638133393") == "1"
    assert phone.ean13_check_digit(code[:12]) == code[-1]


def test_points_earned_floor_and_multiplier():
    assert points.points_earned(99.99, 1.0, 1.0) == 99
    assert points.points_earned(100.0, 1.0, 1.5) == 150
    assert points.points_earned(-10.0, 1.0, 1.0) == 0


def test_fifo_consume_oldest_first():
    taken, left = points.fifo_consume([100, 50, 30], 120)
    assert taken.tolist() == [100, 20, 0]
    assert left == 0
    taken, left = points.fifo_consume([10, 5], 20)
    assert taken.tolist() == [10, 5]
    assert left == 5


@pytest.mark.parametrize(("refunded", "original", "expected"), [
    (-50.0, 100.0, 0.5), (-100.0, 100.0, 1.0), (-150.0, 100.0, 1.0), (0.0, 100.0, 0.0), (-10.0, 0.0, 0.0),
])
def test_refunded_share(refunded, original, expected):
    assert points.refunded_share(refunded, original) == expected


@pytest.mark.parametrize(("refunded_value", "already", "expected"), [
    (4.0, 0, 400), (2.0, 0, 200), (2.0, 200, 200), (2.0, 400, 0), (4.0, 300, 100), (0.0, 0, 0), (1.333, 0, 133),
])
def test_points_returned_follow_the_points_line_refunded(refunded_value, already, expected):
    # 400 points worth 4.00 were redeemed
    assert points.points_returned(400, 4.0, refunded_value, already) == expected


def test_rfm_segments_and_at_risk():
    recency = [1, 5, 200, 300, 2]
    frequency = [30, 20, 2, 1, 1]
    money = [9000, 5000, 100, 50, 40]
    seg = rfm.segments(recency, frequency, money)
    assert seg[0] == "champions"
    assert seg[3] in ("hibernating",)
    assert seg[4] == "new"
    assert rfm.at_risk([100, 10, 5], [20, 20, 0]).tolist() == [True, False, False]


def test_top_labels_by_weight_ties_by_label_returns_left_out():
    rows = [(1, "Dairy", 30.0), (1, "Apparel", 180.0), (1, "Snacks", 30.0), (1, "Toys", 10.0), (1, "Gifts", -20.0),
            (2, "Apparel", 60.0)]
    assert preferences.top_labels(rows, limit=3) == {1: ["Apparel", "Dairy", "Snacks"], 2: ["Apparel"]}


def test_attribute_summary_per_member():
    rows = [(1, "Size", "S", 1.0), (1, "Colour", "Red", 2.0), (1, "Size", "M", 2.0), (1, "Colour", "Blue", 1.0),
            (1, "Colour", "Green", 0.5), (2, "Colour", "Red", 1.0)]
    assert preferences.attribute_summary(rows) == {1: "Colour: Red, Blue; Size: M, S", 2: "Colour: Red"}
