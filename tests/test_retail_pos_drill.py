"""The pure parts of the peak-day drill (bench/retail_pos_drill.py): percentiles, which refusals a
till waits out, the order mix, the orders it builds and the summary line CI reads."""

import importlib.util
import random

from conftest import ROOT

spec = importlib.util.spec_from_file_location("retail_pos_drill", ROOT / "bench" / "retail_pos_drill.py")
drill = importlib.util.module_from_spec(spec)
spec.loader.exec_module(drill)


def test_percentile_nearest_rank():
    values = [0.1 * index for index in range(1, 101)]
    assert drill.percentile(values, 0.5) == values[49]
    assert drill.percentile(values, 0.95) == values[94]
    assert drill.percentile(values, 0.99) == values[98]
    assert drill.percentile([3.0], 0.99) == 3.0
    assert drill.percentile([], 0.5) is None


def test_server_trouble_is_waited_out_and_refusals_are_not():
    assert drill.is_transient('LockNotAvailable: could not obtain lock on row in relation "ir_sequence"')
    assert drill.is_transient("psycopg2.OperationalError: terminating connection due to administrator command")
    assert drill.is_transient("odoo.exceptions.ValidationError: An order with this uuid already exists")
    assert not drill.is_transient("odoo.exceptions.UserError: Crisps: discount 25.0% is above the store limit")
    assert not drill.is_transient("odoo.exceptions.UserError: Till A has no open session: its session was closed")


def test_order_mix_of_a_peak_day():
    rng = random.Random(1)
    kinds = [drill.order_kind(index, True, rng) for index in range(120)]
    assert sum(kind["refund"] for kind in kinds) == 10
    assert sum(kind["approval"] for kind in kinds) == 12
    assert sum(kind["member"] for kind in kinds) == 40
    assert not any(drill.order_kind(index, False, rng)["approval"] for index in range(120))


def test_order_payload_totals_and_summary():
    products = [{"id": 10 + index, "price": 3.0 + index} for index in range(6)]
    lines = drill.build_lines(products, random.Random(3), 5.0, 20.0)
    assert 3 <= len(lines) <= 5
    assert lines[0]["discount"] == 20.0
    assert all(line["discount"] == 5.0 for line in lines[1:])
    till = {"session_id": 4, "pricelist_id": 2, "payment_method_id": 7, "user_id": 9}
    payload = drill.order_payload(till, "u-1", "261-1-000001", lines, partner_id=12)
    total = round(sum(line["price_subtotal_incl"] for line in lines), 2)
    assert payload["amount_total"] == payload["amount_paid"] == total
    assert payload["payment_ids"][0][2] == {"amount": total, "name": payload["date_order"], "payment_method_id": 7}
    summary = drill.summary_of(payload)
    assert summary["total"] == total
    assert summary["lines"] == {str(line["product_id"]): line["qty"] for line in lines}


def test_summary_line_names_losses_and_duplicates():
    report = {"orders": 154, "lost": 0, "duplicated": 0, "inconsistencies": 0, "orders_per_second": 3.04,
              "latency": [0.25, 0.5, None], "lock_refusals": 0, "faults": {"worker killed": 1}}
    assert drill.summary_line(report) == (
        "drill: 154 orders, 0 lost, 0 duplicated, 0 inconsistent, 3.0 orders/s, p50/p95/p99 250/500/- ms, "
        "0 lock refusals, faults: worker killed 1")
