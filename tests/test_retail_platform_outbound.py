"""The delivery-platform addon's outbound adapters without a database: which call each status and
stock batch becomes on each platform, Meituan's signature of it against vectors computed by
coreutils (``md5sum``), and how Meituan's answers are read."""

import json

import pytest
from conftest import load_tool

outbound = load_tool("retail_platform", "outbound")

MEITUAN = "https://waimaiopen.meituan.com/api/v1/"


def test_meituan_accept_is_a_form_post_of_the_order_id():
    request = outbound.meituan_callback("accept", "27061900338318741")
    assert request == outbound.OutboundRequest("POST", "order/confirm", {"order_id": "27061900338318741"}, None,
                                               "application/x-www-form-urlencoded", "meituan")


def test_meituan_reject_is_a_cancel_with_a_reason_code_and_a_reason():
    request = outbound.meituan_callback("reject", "O1")
    assert (request.method, request.path) == ("GET", "order/cancel")
    assert request.params == {"order_id": "O1", "reason_code": "2007", "reason": "其他原因"}
    sold_out = outbound.meituan_callback("reject", "O1", reason="sold_out").params
    assert (sold_out["reason_code"], sold_out["reason"]) == ("2009", "商品已售完")
    # a reason the addon does not know is the default one, never sent as it came
    assert outbound.meituan_callback("reject", "O1", reason="缺货").params["reason_code"] == "2007"


def test_meituan_agreed_refund_names_the_order_and_a_reason():
    request = outbound.meituan_callback("refund", "O1", refund_ref="RF-1")
    assert (request.method, request.path, request.params) == \
        ("GET", "order/refund/agree", {"order_id": "O1", "reason": "商家同意退款"})


def test_meituan_has_no_call_for_an_unknown_action():
    with pytest.raises(ValueError, match="no Meituan call for the action 'ship'"):
        outbound.meituan_callback("ship", "O1")


def test_meituan_signature_of_a_confirmation_known_vector():
    # printf '%s' 'https://waimaiopen.meituan.com/api/v1/order/confirm?app_id=6666&order_id=27061900338318741&timestamp=1700000000s3cret' | md5sum  # noqa: E501
    request = outbound.meituan_callback("accept", "27061900338318741")
    signed = outbound.meituan_signed(MEITUAN + request.path, request.params, "6666", "s3cret", 1_700_000_000.7)
    assert signed == {"order_id": "27061900338318741", "app_id": "6666", "timestamp": "1700000000",
                      "sig": "8470d8933e9cbe9863601a2b42e843a7"}


def test_meituan_signature_of_a_cancellation_covers_the_utf8_reason():
    # printf '%s' 'https://waimaiopen.meituan.com/api/v1/order/cancel?app_id=6666&order_id=O1&reason=其他原因&reason_code=2007&timestamp=1700000000s3cret' | md5sum  # noqa: E501
    request = outbound.meituan_callback("reject", "O1")
    signed = outbound.meituan_signed(MEITUAN + request.path, request.params, "6666", "s3cret", 1_700_000_000)
    assert signed["sig"] == "c774938ca93c177d1507749aa662cafc"


def test_meituan_stock_is_food_data_of_whole_quantities_signed_as_sent():
    (request,) = outbound.meituan_stock("MT-B", [{"sku": "MT-CHIPS", "qty": 6.0}])
    assert (request.method, request.path, request.content_type) == \
        ("POST", "retail/sku/stock", "application/x-www-form-urlencoded")
    assert request.params["app_poi_code"] == "MT-B"
    assert request.params["food_data"] == '[{"app_food_code":"MT-CHIPS","skus":[{"sku_id":"MT-CHIPS","stock":"6"}]}]'
    # printf '%s' 'https://waimaiopen.meituan.com/api/v1/retail/sku/stock?app_id=6666&app_poi_code=MT-B&food_data=[{"app_food_code":"MT-CHIPS","skus":[{"sku_id":"MT-CHIPS","stock":"6"}]}]&timestamp=1700000000s3cret' | md5sum  # noqa: E501
    signed = outbound.meituan_signed(MEITUAN + request.path, request.params, "6666", "s3cret", 1_700_000_000)
    assert signed["sig"] == "2d25bb9c66a60d0058f8cd096d114180"


def test_meituan_stock_goes_200_products_a_call_never_below_zero_nor_fractional():
    items = [{"sku": f"S{n}", "qty": n - 1.5} for n in range(401)]
    requests = outbound.meituan_stock("MT-B", items)
    assert [len(json.loads(request.params["food_data"])) for request in requests] == [200, 200, 1]
    first = json.loads(requests[0].params["food_data"])
    assert [food["skus"][0]["stock"] for food in first[:4]] == ["0", "0", "0", "1"]
    assert json.loads(requests[2].params["food_data"])[0] == \
        {"app_food_code": "S400", "skus": [{"sku_id": "S400", "stock": "398"}]}
    assert outbound.meituan_stock("MT-B", []) == []


@pytest.mark.parametrize(("status", "text", "expected"), [
    (200, '{"data": "ok"}', (True, "", "")),
    (200, '{"data": "ng", "error": {"code": 808, "msg": "订单已取消"}}',
     (False, "HTTP 200, Meituan error 808: 订单已取消", "808")),
    (503, '{"data": "ng", "error": {"code": 503, "msg": "busy"}}', (False, "HTTP 503, Meituan error 503: busy", "503")),
    (200, '{"data": "ng"}', (False, 'HTTP 200: {"data": "ng"}', "")),
    (502, "<html>Bad Gateway</html>", (False, "HTTP 502, not a Meituan answer: <html>Bad Gateway</html>", "")),
    (500, '{"data": "ok"}', (False, 'HTTP 500: {"data": "ok"}', "")),
])
def test_a_meituan_answer_is_ok_only_when_its_data_says_so(status, text, expected):
    assert outbound.meituan_answer(status, text) == expected


def test_eleme_calls_are_its_api_actions_with_the_access_token():
    accept = outbound.callback_request("eleme", "EL-A", "accept", "O1")
    assert (accept.protocol, accept.action, accept.params, accept.with_token) == \
        ("eleme", "eleme.order.confirmOrderLite", {"orderId": "O1"}, True)
    reject = outbound.callback_request("eleme", "EL-A", "reject", "O1", reason="sold_out")
    assert (reject.action, reject.params) == \
        ("eleme.order.cancelOrderLite", {"orderId": "O1", "type": "foodSoldOut", "remark": "商品已经售完"})
    batches = outbound.stock_requests("eleme", "EL-A", [{"sku": "S", "qty": 2.5}] * 150)
    assert [(batch.protocol, batch.action) for batch in batches] == \
        [("eleme", "eleme.product.item.batchUpdateStock")] * 2


def test_douyin_calls_its_life_services_api_and_keeps_the_simple_stock_feed():
    refund = outbound.callback_request("douyin", "DY-A", "refund", "O1", "RF-1")
    assert (refund.path, refund.body, refund.protocol, refund.with_token) == \
        ("goodlife/v1/after_sale/audit/notify/", {"after_sale_id": "RF-1", "is_approved": True}, "douyin", True)
    batches = outbound.stock_requests("douyin", "DY-A", [{"sku": "S", "qty": 2.5}] * 150)
    assert [(batch.path, len(batch.body["items"]), batch.protocol) for batch in batches] == \
        [("/stock/update", 100, "simple"), ("/stock/update", 50, "simple")]
    assert outbound.read_answer("simple", 200, '{"data": "ng"}') == (True, '{"data": "ng"}', "")
    assert outbound.read_answer("simple", 503, "busy") == (False, "busy", "")


def test_meituan_calls_go_through_its_adapter():
    assert outbound.callback_request("meituan", "MT-B", "accept", "O1").path == "order/confirm"
    assert outbound.stock_requests("meituan", "MT-B", [{"sku": "S", "qty": 1}])[0].path == "retail/sku/stock"
    assert outbound.read_answer("meituan", 200, '{"data": "ng", "error": {"code": 1, "msg": "x"}}')[0] is False
