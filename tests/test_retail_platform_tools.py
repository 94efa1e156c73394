"""The delivery-platform addon's tools without a database: the platforms' signatures against
vectors computed by coreutils (``sha1sum``, ``md5sum``), the replay window, the reading of
webhook bodies and of payout statements, and the simulator's platform API over real HTTP."""

import hashlib
import io
import json
import urllib.request
from decimal import Decimal

import openpyxl
import pytest
from conftest import load_tool

signature = load_tool("retail_platform", "signature")
payload = load_tool("retail_platform", "payload")
settlement = load_tool("retail_platform", "settlement")
simulator = load_tool("retail_platform", "simulator")


def test_douyin_signature_known_vector():
    # printf '%s' 'secret{"a":1}' | sha1sum
    assert signature.douyin_signature("secret", b'{"a":1}') == "6d3ece5e32c56a029e1bc9209c84b0707179c504"


def test_meituan_signature_known_vector_sorts_parameters_and_leaves_out_sig():
    # printf '%s' 'https://shop.example.com/hook?app_id=42&order=x&timestamp=1700000000s3cret' | md5sum
    params = {"timestamp": "1700000000", "order": "x", "app_id": "42", "sig": "anything"}
    assert signature.meituan_signature("https://shop.example.com/hook", params, "s3cret") == \
        "e9bdbc6a989d750f5b9d316159c37658"


def test_eleme_signature_known_vector_sorts_pairs_joins_them_with_nothing_and_is_uppercase():
    # printf '%s' 'appId=42message={"id":"O1"}requestId=r1shopId=EL-Btimestamp=1700000000000type=10userId=7s3cret'
    #   | md5sum
    fields = {"requestId": "r1", "type": 10, "appId": 42, "message": '{"id":"O1"}', "shopId": "EL-B",
              "timestamp": 1_700_000_000_000, "signature": "anything", "userId": 7}
    assert signature.eleme_signature(fields, "s3cret") == "3D74866F245DE5E05327A76B524471A8"


def test_signatures_match_is_case_insensitive_and_refuses_missing_or_wrong():
    digest = signature.douyin_signature("k", b"body")
    assert signature.signatures_match(digest, digest.upper())
    assert not signature.signatures_match(digest, None)
    assert not signature.signatures_match(digest, "")
    assert not signature.signatures_match(digest, digest[:-1] + ("0" if digest[-1] != "0" else "1"))
    assert not signature.signatures_match("", "")


def test_a_changed_body_or_secret_changes_the_signature():
    assert signature.douyin_signature("k", b'{"qty":1}') != signature.douyin_signature("k", b'{"qty":2}')
    assert signature.douyin_signature("k", b"x") != signature.douyin_signature("K", b"x")


@pytest.mark.parametrize(("delta", "inside"), [(0, True), (300, True), (-300, True), (301, False), (-301, False)])
def test_replay_window_is_300_seconds_both_ways(delta, inside):
    assert signature.within_window(1_700_000_000 + delta, 1_700_000_000) is inside


def test_replay_window_refuses_a_timestamp_that_is_not_a_number():
    assert not signature.within_window("yesterday", 1_700_000_000)
    assert not signature.within_window(None, 1_700_000_000)


def _douyin(order, event="order_created"):
    return {"msg_id": "m1", "event": event, "timestamp": 1_700_000_000, "order": order}


def test_read_event_of_douyin_and_meituan_give_the_same_shape():
    order = {"order_id": "O1", "lines": [{"sku": "S", "qty": 2, "price": "3.50"}]}
    from_douyin = payload.read_event("douyin", _douyin(order))
    from_meituan = payload.read_event("meituan", {"message_id": "m1", "event": "order.create",
                                                  "timestamp": "1700000000", "order": json.dumps(order)})
    assert from_douyin == from_meituan
    assert from_douyin["lines"] == [{"sku": "S", "qty": 2.0, "price": 3.5}]
    assert from_douyin["event"] == "create"


@pytest.mark.parametrize(("order", "error"), [
    ({"order_id": "O1", "lines": []}, "no lines"),
    ({"order_id": "O1", "lines": [{"sku": "S", "qty": 0, "price": 1}]}, "qty must be above zero"),
    ({"order_id": "O1", "lines": [{"sku": "S", "qty": -1, "price": 1}]}, "qty must be above zero"),
    ({"order_id": "O1", "lines": [{"sku": "S", "qty": 1, "price": "1.001"}]}, "too many decimals"),
    ({"order_id": "O1", "lines": [{"sku": "S", "qty": True, "price": 1}]}, "qty must be a number"),
    ({"order_id": "O1", "lines": [{"sku": "S", "qty": "NaN", "price": 1}]}, "qty must be above zero"),
    ({"lines": [{"sku": "S", "qty": 1, "price": 1}]}, "order_id is missing"),
    ({"order_id": "O1", "lines": [{"qty": 1, "price": 1}]}, "sku is missing"),
])
def test_read_event_refuses_bad_orders_saying_what_is_wrong(order, error):
    with pytest.raises(payload.MalformedPayload, match=error):
        payload.read_event("douyin", _douyin(order))


def test_read_event_refuses_an_unknown_event_and_a_missing_timestamp():
    with pytest.raises(payload.MalformedPayload, match="unknown event"):
        payload.read_event("douyin", _douyin({"order_id": "O1"}, event="order.create"))
    with pytest.raises(payload.MalformedPayload, match="timestamp"):
        payload.read_event("douyin", {"msg_id": "m", "event": "order_canceled", "order": {"order_id": "O"}})


def test_refund_event_keeps_whether_the_goods_came_back():
    event = payload.read_event("douyin", _douyin(
        {"order_id": "O1", "refund_id": "R1", "goods_returned": True, "lines": [{"sku": "S", "qty": 1}]},
        event="order_refunded"))
    assert event["goods_returned"] is True and event["refund_id"] == "R1"
    with pytest.raises(payload.MalformedPayload, match="goods_returned"):
        payload.read_event("douyin", _douyin(
            {"order_id": "O1", "refund_id": "R1", "goods_returned": "yes", "lines": [{"sku": "S", "qty": 1}]},
            event="order_refunded"))


def test_answers_in_each_platforms_format():
    assert payload.answer("douyin", True) == {"err_no": 0, "err_tips": "success"}
    assert payload.answer("meituan", False, 401, "invalid signature") == \
        {"data": "ng", "error": {"code": 401, "msg": "invalid signature"}}


CSV = "订单号,订单金额,佣金,结算金额\nO1,14.00,1.40,12.60\nO2,8.00,0.80,7.20\n"


def test_statement_csv_with_chinese_headers():
    rows = settlement.read_statement("payout.csv", CSV.encode())
    assert rows[1] == {"row": 3, "order_id": "O2", "gross": Decimal("8.00"), "commission": Decimal("0.80"),
                       "net": Decimal("7.20")}


def test_statement_xlsx():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["order_id", "gross", "commission", "net"])
    sheet.append(["O1", 14, 1.4, 12.6])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = settlement.read_statement("payout.xlsx", buffer.getvalue())
    assert rows == [{"row": 2, "order_id": "O1", "gross": Decimal("14"), "commission": Decimal("1.4"),
                     "net": Decimal("12.6")}]


@pytest.mark.parametrize(("text", "error"), [
    ("order_id,gross,commission\nO1,1,0\n", "row 1: the header has no column net"),
    ("order_id,gross,commission,net\nO1,14.00,1.40,12.00\n", "row 2: net 12.00 is not gross"),
    ("order_id,gross,commission,net\nO1,14.00,1.40,12.60\nO1,1,0,1\n", "row 3: order O1 is also on row 2"),
    ("order_id,gross,commission,net\nO1,abc,0,1\n", "row 2: gross 'abc' is not an amount"),
    ("order_id,gross,commission,net\n,1,0,1\n", "row 2: the order id is empty"),
    ("order_id,gross,commission,net\n", "no rows"),
])
def test_statement_errors_name_the_row(text, error):
    with pytest.raises(settlement.StatementError, match=error):
        settlement.read_statement("payout.csv", text.encode())


def test_statement_must_be_csv_or_xlsx():
    with pytest.raises(settlement.StatementError, match=r"\.csv or \.xlsx"):
        settlement.read_statement("payout.pdf", b"%PDF")


@pytest.mark.parametrize("platform", ["douyin", "meituan"])
def test_simulator_takes_signed_requests_and_refuses_forged_ones(platform):
    platform_api = simulator.PlatformSimulator(platform, {"SHOP": "sekret"}).start()
    try:
        for secret, expected in (("sekret", 200), ("wrong", 401)):
            body = json.dumps({"shop_code": "SHOP", "items": [{"sku": "S", "qty": 3}]}).encode()
            url = platform_api.url + "/stock/update"
            headers = {"Content-Type": "application/json"}
            if platform == "douyin":
                headers["X-Douyin-Signature"] = signature.douyin_signature(secret, body)
            else:
                params = {"app_id": "a", "timestamp": "1", "body_md5": hashlib.md5(body).hexdigest()}
                params["sig"] = signature.meituan_signature(url, params, secret)
                url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")
            try:
                status = urllib.request.urlopen(request, timeout=5).status
            except urllib.error.HTTPError as error:
                status = error.code
            assert status == expected
        assert platform_api.state.stock("SHOP") == {"S": 3}
    finally:
        platform_api.stop()


def test_simulator_builds_webhooks_the_addon_reads():
    data, headers = simulator.build_webhook("douyin", "http://x/hook", "k", "cancel", {"order_id": "O1"}, "m9",
                                            timestamp=1_700_000_000)
    assert headers["X-Douyin-Signature"] == signature.douyin_signature("k", data)
    assert payload.read_event("douyin", json.loads(data))["event"] == "cancel"
