"""The demo chain as plain data: deterministic, the promised sizes, a consistent history."""

import numpy as np
import pytest
from conftest import load_tool

chain_data = load_tool("retail_demo", "chain_data")
chain_spec = load_tool("retail_demo", "chain_spec")
members_demo = load_tool("retail_demo", "members_demo")
SCALES = chain_spec.SCALES


@pytest.fixture(scope="module")
def demo():
    return chain_data.build_chain_data(SCALES["demo"], 42)


@pytest.fixture(scope="module")
def bench():
    return chain_data.build_chain_data(SCALES["bench"], 42)


def test_ean13_check_digit_of_known_codes():
    assert chain_data.ean13_check_digit("400638133393") == "1"
    assert chain_data.ean13_check_digit("690123456789") == "2"
    assert chain_data.is_valid_ean13("4006381333931")
    assert not chain_data.is_valid_ean13("4006381333932")
    assert not chain_data.is_valid_ean13("400638133393")


def test_mobile_numbers_are_mainland_numbers():
    assert chain_data.is_valid_mobile("13812345678")
    assert not chain_data.is_valid_mobile("12812345678")
    assert not chain_data.is_valid_mobile("1381234567")


def test_same_seed_same_chain_other_seed_other_chain():
    first = chain_data.build_chain_data(SCALES["test"], 7)
    again = chain_data.build_chain_data(SCALES["test"], 7)
    other = chain_data.build_chain_data(SCALES["test"], 8)
    assert chain_data.fingerprint(first) == chain_data.fingerprint(again)
    assert chain_data.summarize(first) == chain_data.summarize(again)
    assert chain_data.fingerprint(first) != chain_data.fingerprint(other)


def test_the_weekday_of_the_first_day_shapes_the_week():
    monday = chain_data.build_chain_data(SCALES["test"], 7, first_weekday=0)
    sunday = chain_data.build_chain_data(SCALES["test"], 7, first_weekday=6)
    assert chain_data.fingerprint(monday) != chain_data.fingerprint(sunday)


def test_demo_sizes(demo):
    summary = chain_data.summarize(demo)
    assert summary["stores"] == 5
    assert summary["products"] == 300
    assert summary["members"] == 2000
    assert summary["days"] == 90
    assert summary["sessions"] == 5 * 90
    assert 24_000 <= summary["orders"] <= 32_000
    assert summary["order_lines"] >= 2.5 * summary["orders"]
    assert {store["code"] for store in demo["stores"]} == {"S01", "S02", "S03", "S04", "S05"}


def test_bench_sizes_hold_without_a_database(bench):
    summary = chain_data.summarize(bench)
    assert summary["stores"] == 50
    assert summary["products"] == 5000
    assert summary["days"] == 180
    assert summary["orders"] >= 1_000_000
    assert summary["order_lines"] >= 3_000_000
    assert 100_000 <= summary["members"] < 1_000_000
    assert summary["sessions"] == 50 * 180
    assert len({p["barcode"] for p in bench["products"]}) == 5000
    assert len(set(bench["members"]["phone"])) == summary["members"]


def test_catalogue_names_barcodes_prices_and_shelf_lives(demo):
    products = demo["products"]
    assert all(chain_data.is_valid_ean13(p["barcode"]) for p in products)
    assert len({p["barcode"] for p in products}) == len(products)
    assert len({p["code"] for p in products}) == len(products)
    assert all(p["price"] > p["cost"] > 0 for p in products)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p["name_zh"]) for p in products)
    assert all(p["name_en"].isascii() for p in products)
    shelf = {p["name_en"].split(" (")[0].split(" ", 1)[1]: p["shelf_life"] for p in products if p["shelf_life"]}
    assert shelf.get("Whole Milk", 7) == 7
    assert shelf.get("Yoghurt", 21) == 21
    assert shelf.get("Bread", 3) == 3
    assert 0.15 < sum(1 for p in products if p["shelf_life"]) / len(products) < 0.4
    apparel = [p for p in products if p["colour"]]
    assert apparel and len(apparel) % 9 == 0
    assert {p["size"][1] for p in apparel} == {"S", "M", "L"}


def test_members_have_unique_valid_phones_and_chinese_names(demo):
    members = demo["members"]
    assert len(set(members["phone"])) == len(members["phone"]) == 2000
    assert all(chain_data.is_valid_mobile(phone) for phone in members["phone"])
    assert all(2 <= len(name) <= 3 for name in members["name"])
    assert set(np.unique(members["store"]).tolist()) == set(range(5))


def test_staff_have_distinct_chinese_names_whatever_the_seed():
    names = chain_data.staff_names(3100)
    assert names[:3] == ["王建华", "李秀英", "张志强"]
    assert len(set(names)) == 3100
    assert all(len(name) == 3 and all("\u4e00" <= char <= "\u9fff" for char in name) for name in names)
    with pytest.raises(ValueError):
        chain_data.staff_names(3101)


def test_stock_left_is_deliveries_minus_sales(demo):
    history = demo["history"]
    stores, products = history["stock"].shape
    received = np.zeros((stores, products), dtype=np.int64)
    np.add.at(received, (history["receipts"][:, 0], history["receipts"][:, 1]), history["receipts"][:, 3])
    sold = np.zeros((stores, products), dtype=np.int64)
    np.add.at(sold, (history["sales_moves"][:, 0], history["sales_moves"][:, 1]), history["sales_moves"][:, 3])
    assert (received - sold == history["stock"]).all()
    assert (history["stock"] >= 0).all()
    assert (history["dc_stock"] >= 0).all()
    # the sales moves carry exactly the units of the ticket lines
    assert history["sales_moves"][:, 3].sum() == history["lines"][:, 2].sum()


def test_lots_are_consumed_first_in_first_out(demo):
    history = demo["history"]
    lots, pieces, moves = history["lots"], history["lot_pieces"], history["sales_moves"]
    assert (pieces[:, 2] > 0).all()
    assert (lots[pieces[:, 1], 0] == moves[pieces[:, 0], 0]).all()  # same store
    assert (lots[pieces[:, 1], 1] == moves[pieces[:, 0], 1]).all()  # same product
    assert (lots[pieces[:, 1], 2] <= moves[pieces[:, 0], 2]).all()  # received before it was sold
    used = np.bincount(pieces[:, 1], weights=pieces[:, 2], minlength=len(lots)).astype(np.int64)
    assert (used + history["lot_left"] == lots[:, 3]).all()
    assert (history["lot_left"] >= 0).all()
    tracked = np.array([p["shelf_life"] > 0 for p in demo["products"]])
    per_move = np.bincount(pieces[:, 0], weights=pieces[:, 2], minlength=len(moves)).astype(np.int64)
    assert (per_move[tracked[moves[:, 1]]] == moves[tracked[moves[:, 1]], 3]).all()
    # some lots on the shelves expire within three days of the last day of history
    days = demo["spec"]["days"]
    left = history["lot_left"] > 0
    assert ((lots[left, 4] - days) <= 3).any()


def test_history_has_weekly_seasonality_promotions_and_stockouts(demo):
    history = demo["history"]
    orders, lines = history["orders"], history["lines"]
    per_day = np.bincount(orders[:, 1])
    weekday = np.arange(len(per_day)) % 7
    assert per_day[weekday == 5].mean() > 1.2 * per_day[weekday == 1].mean()
    assert (lines[:, 3] > 0).mean() > 0.01
    assert history["lost_lines"][0] > 0
    per_store = np.bincount(orders[:, 0])
    assert per_store.max() > 1.1 * per_store.min()
    # intermittent demand: most articles do not sell every day in a store
    days_sold = np.bincount(history["sales_moves"][:, 0] * 300 + history["sales_moves"][:, 1], minlength=5 * 300)
    assert np.median(days_sold) < 0.5 * demo["spec"]["days"]


def test_money_is_exact(demo):
    history = demo["history"]
    lines = history["lines"]
    gross = history["line_price"] * lines[:, 2]
    assert (history["line_subtotal"] <= gross).all()
    assert (history["line_subtotal"][lines[:, 3] == 0] == gross[lines[:, 3] == 0]).all()
    totals = np.bincount(lines[:, 0], weights=history["line_subtotal"]).astype(np.int64)
    assert (totals == history["order_total"]).all()
    assert (history["order_total"] > 0).all()


def test_join_days_never_after_the_first_order():
    rng = np.random.default_rng(3)
    days = members_demo.join_days_ago(rng, 1000, 730, np.r_[np.full(500, 600), np.full(500, -1)])
    assert days.min() >= 0 and days.max() <= 730
    assert (days[:500] >= 600).all()
    assert days[500:].min() < 600, "members without orders join any time over the two years"


@pytest.mark.parametrize(("value", "expected"), [(500.0, 500.0), (166.67, 170.0), (7500.0, 7500.0),
                                                 (2666.6, 2700.0), (0.0, 0.0)])
def test_round_threshold(value, expected):
    assert members_demo.round_threshold(value) == expected
