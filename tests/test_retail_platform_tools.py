"""The delivery-platform addon's tools without a database: the platforms' signatures against
vectors computed by coreutils (``sha1sum``, ``md5sum``), the replay window, the reading of
webhook bodies and of payout statements, and the simulator's platform API over real HTTP."""

import io
import json
import urllib.parse
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


ORDER = {"order_id": "O1", "lines": [{"sku": "S", "qty": 2, "price": 3.5}]}
CREATED = {"message_id": "m1", "event": "create", "timestamp": 1_700_000_000, "order_id": "O1",
           "lines": [{"sku": "S", "qty": 2.0, "price": 3.5}], "goods_returned": False, "refund_id": ""}


def _douyin(order, action="pay_success", event="life_trade_order_notify", poi_id="SHOP", msg_time=1_700_000_000):
    return {"event": event, "client_key": "k", "log_id": "L1",
            "content": json.dumps({"action": action, "msg_time": msg_time, "order": {"poi_id": poi_id, **order}})}


def _meituan(**fields):
    return {"app_id": "42", "timestamp": "1700000000", "sig": "x", "app_poi_code": "SHOP", **fields}


def _eleme(message, kind=10, shop_id="SHOP", **fields):
    return {"requestId": "m1", "type": kind, "appId": 42, "message": json.dumps(message), "shopId": shop_id,
            "timestamp": 1_700_000_000_123, "signature": "X", "userId": 7, **fields}


def test_eleme_signature_known_vector_sorts_pairs_joins_them_with_nothing_and_is_uppercase():
    # printf '%s' 'appId=42message={"id":"O1"}requestId=r1shopId=EL-Btimestamp=1700000000000type=10userId=7s3cret'
    #   | md5sum
    fields = {"requestId": "r1", "type": 10, "appId": 42, "message": '{"id":"O1"}', "shopId": "EL-B",
              "timestamp": 1_700_000_000_000, "signature": "anything", "userId": 7}
    assert signature.eleme_signature(fields, "s3cret") == "3D74866F245DE5E05327A76B524471A8"


def test_the_three_platforms_new_orders_read_the_same():
    from_douyin = payload.read_event("douyin", _douyin(
        {"order_id": "O1", "sku_list": [{"out_sku_id": "S", "sku_id": "dy-1", "count": 2, "price": 350}]}),
        message_id="m1", shop_code="SHOP")
    from_meituan = payload.read_event("meituan", _meituan(
        order_id="O1", wm_order_id_view="V1",
        detail=json.dumps([{"app_food_code": "S", "food_name": "n", "sku_id": "mt-1", "quantity": 2, "price": 3.5}])),
        kind="new", shop_code="SHOP")
    from_eleme = payload.read_event("eleme", _eleme({"id": "O1", "groups": [
        {"type": "normal", "items": [{"extendCode": "", "barCode": "S", "name": "n", "quantity": 2, "price": 3.5}]},
        {"type": "extra", "items": [{"name": "餐盒", "quantity": 1, "price": 1}]}]}), shop_code="SHOP")
    assert from_douyin == CREATED
    assert from_eleme == CREATED, "the requestId is the message id and the ms timestamp is read in seconds"
    assert from_meituan == {**CREATED, "message_id": from_meituan["message_id"]}


def test_a_meituan_message_id_is_derived_from_what_is_signed():
    def read(**fields):
        return payload.read_event("meituan", _meituan(**{"order_id": "O1", "reason_code": "1", "reason": "r",
                                                         **fields}), kind="cancel")["message_id"]
    assert read() == read(), "the same push retried"
    assert read() == read(reason="another text"), "the text of the reason does not identify the push"
    assert read() != read(timestamp="1700000001")
    assert read() != payload.read_event("meituan", _meituan(order_id="O1"), kind="finish")["message_id"]
    assert len(read()) <= payload.MAX_ID_LENGTH


def test_a_douyin_message_id_is_its_msg_id_header_or_derived_from_the_body():
    body = _douyin({"order_id": "O1"}, action="verify", event="life_trade_certificate_notify")
    assert payload.read_event("douyin", body, message_id="MSG-1")["message_id"] == "MSG-1"
    derived = payload.read_event("douyin", body)["message_id"]
    assert derived == payload.read_event("douyin", {**body, "log_id": "L2"})["message_id"]
    assert payload.read_event("douyin", body)["event"] == "delivered"


def test_refunds_of_each_platform():
    meituan = payload.read_event("meituan", _meituan(
        order_id="O1", notify_type="part", refund_id="R1", service_type="2",
        food=json.dumps([{"app_food_code": "S", "count": 1, "refund_price": 3.5}])), kind="refund")
    assert (meituan["event"], meituan["refund_id"], meituan["goods_returned"]) == ("refund", "R1", True)
    assert meituan["lines"] == [{"sku": "S", "qty": 1.0}]
    eleme = payload.read_event("eleme", _eleme(
        {"orderId": "O1", "refundId": "R2", "goodsList": [{"extendCode": "S", "quantity": 1}]}, kind=30))
    assert (eleme["event"], eleme["refund_id"], eleme["goods_returned"]) == ("refund", "R2", False)
    douyin = payload.read_event("douyin", _douyin(
        {"order_id": "O1", "refund_id": "R3", "sku_list": [{"out_sku_id": "S", "count": 1}]}, action="refund_success"))
    assert (douyin["event"], douyin["refund_id"], douyin["lines"]) == ("refund", "R3", [{"sku": "S", "qty": 1.0}])
    with pytest.raises(payload.MalformedPayload, match="service_type must be 1"):
        payload.read_event("meituan", _meituan(order_id="O1", notify_type="apply", refund_id="R1", service_type="3",
                                               food=json.dumps([{"app_food_code": "S", "count": 1}])), kind="refund")


def test_notices_with_nothing_to_do_read_as_none():
    assert payload.read_event("meituan", _meituan(order_id="O1", notify_type="agree", refund_id="R1"),
                              kind="refund") is None
    assert payload.read_event("eleme", _eleme({"orderId": "O1", "state": "valid"}, kind=12)) is None


@pytest.mark.parametrize(("platform", "fields", "kind", "named"), [
    ("douyin", _douyin({"order_id": "O1"}, action="verify", event="life_trade_certificate_notify", poi_id="B"),
     None, "content.order.poi_id 'B'"),
    ("meituan", _meituan(order_id="O1", app_poi_code="B"), "finish", "app_poi_code 'B'"),
    ("eleme", _eleme({"orderId": "O1"}, kind=18, shop_id=12345), None, "shopId '12345'"),
    ("eleme", _eleme({"orderId": "O1"}, kind=12, shop_id=12345), None, "shopId '12345'"),
])
def test_a_body_of_another_store_is_refused(platform, fields, kind, named):
    with pytest.raises(payload.WrongShop, match=f"^{named} is not the shop 'SHOP' of the address called$"):
        payload.read_event(platform, fields, kind=kind, shop_code="SHOP")


@pytest.mark.parametrize(("sku_list", "error"), [
    ([], "content.order.sku_list has no lines"),
    ([{"out_sku_id": "S", "count": 0, "price": 100}], "sku_list line 1: count must be above zero"),
    ([{"out_sku_id": "S", "count": -1, "price": 100}], "sku_list line 1: count must be above zero"),
    ([{"out_sku_id": "S", "count": 1, "price": "100.5"}], "sku_list line 1: price has too many decimals"),
    ([{"out_sku_id": "S", "count": True, "price": 1}], "sku_list line 1: count must be a number"),
    ([{"out_sku_id": "S", "count": "NaN", "price": 1}], "count must be above zero"),
    ([{"count": 1, "price": 1}], "sku_list line 1: out_sku_id is missing"),
    (None, "content.order.sku_list has no lines"),
])
def test_read_event_refuses_bad_orders_naming_the_field(sku_list, error):
    with pytest.raises(payload.MalformedPayload, match=error):
        payload.read_event("douyin", _douyin({"order_id": "O1", "sku_list": sku_list}))


@pytest.mark.parametrize(("platform", "fields", "kind", "error"), [
    ("douyin", _douyin({"order_id": "O1"}, action="order.create"), None, "unknown Douyin event"),
    ("douyin", {**_douyin({"order_id": "O1"}), "content": "{"}, None, "content is not valid JSON"),
    ("douyin", _douyin({"order_id": "O1"}, action="cancel", msg_time=None), None, "content.msg_time is missing"),
    ("douyin", _douyin({}, action="cancel"), None, "content.order.order_id is missing"),
    ("meituan", _meituan(order_id="O1"), None, "unknown Meituan push None"),
    ("meituan", _meituan(order_id="O1", detail="[]"), "new", "detail has no lines"),
    ("meituan", {**_meituan(order_id="O1"), "app_poi_code": ""}, "finish", "app_poi_code is missing"),
    ("meituan", _meituan(order_id="O1", notify_type="apply", food="[]"), "refund", "refund_id is missing"),
    ("eleme", _eleme({"id": "O1"}, kind=99), None, "unknown Ele.me message type 99"),
    ("eleme", _eleme({"id": "O1"}, kind="ten"), None, "type is missing or not a whole number"),
    ("eleme", _eleme({"id": "O1", "groups": "x"}), None, "message.groups is missing or not a list"),
    ("eleme", _eleme({"id": "O1", "groups": [{"items": [{"name": "n", "quantity": 1, "price": 1}]}]}), None,
     "message.groups items line 1: extendCode or barCode is missing"),
    ("eleme", _eleme({"orderId": "O1", "goodsList": []}, kind=30), None, "message.goodsList has no lines"),
    ("eleme", _eleme({"orderId": "O1"}, kind=14, requestId=None), None, "requestId is missing"),
    ("douyin", _douyin({"order_id": "O1"}, action="cancel"), "cancel", "the address of a douyin push has no /cancel"),
])
def test_read_event_says_which_field_is_wrong(platform, fields, kind, error):
    with pytest.raises(payload.MalformedPayload, match=error):
        payload.read_event(platform, fields, kind=kind)


def test_douyin_address_check_is_answered_with_its_challenge():
    assert payload.douyin_challenge({"event": "verify_webhook", "content": {"challenge": 12345}}) == 12345
    assert payload.douyin_challenge({"event": "verify_webhook", "content": '{"challenge": "c1"}'}) == "c1"
    assert payload.douyin_challenge(_douyin({"order_id": "O1"})) is None
    with pytest.raises(payload.MalformedPayload, match=r"content\.challenge is missing"):
        payload.douyin_challenge({"event": "verify_webhook", "content": {}})


def test_unknown_fields_are_ignored():
    body = _douyin({"order_id": "O1", "pay_amount": 700, "sku_list": [{"out_sku_id": "S", "count": 2, "price": 350,
                                                                         "anything": {"else": 1}}]})
    assert payload.read_event("douyin", {**body, "from_user_id": "u"}, message_id="m1") == CREATED


def test_answers_in_each_platforms_format():
    assert payload.answer("douyin", True) == {"err_no": 0, "err_tips": "success"}
    assert payload.answer("eleme", True) == {"message": "ok"}
    assert payload.answer("meituan", True) == {"data": "ok"}
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


def test_simulator_takes_signed_requests_and_refuses_forged_ones():
    platform_api = simulator.PlatformSimulator("douyin", {"SHOP": "sekret"}).start()
    try:
        for secret, expected in (("sekret", 200), ("wrong", 401)):
            body = json.dumps({"shop_code": "SHOP", "items": [{"sku": "S", "qty": 3}]}).encode()
            headers = {"Content-Type": "application/json",
                       "X-Douyin-Signature": signature.douyin_signature(secret, body)}
            request = urllib.request.Request(platform_api.url + "/stock/update", data=body, headers=headers,
                                             method="POST")
            try:
                status = urllib.request.urlopen(request, timeout=5).status
            except urllib.error.HTTPError as error:
                status = error.code
            assert status == expected
        assert platform_api.state.stock("SHOP") == {"S": 3}
    finally:
        platform_api.stop()


def _meituan_call(url, method, params, secret):
    signed = {**params, "app_id": "mt-app", "timestamp": "1700000000"}
    signed["sig"] = signature.meituan_signature(url, signed, secret)
    if method == "GET":
        request = urllib.request.Request(url + "?" + urllib.parse.urlencode(signed), method="GET")
    else:
        request = urllib.request.Request(url, data=urllib.parse.urlencode(signed).encode(), method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_meituan_simulator_checks_sig_over_the_url_and_the_form():
    platform_api = simulator.PlatformSimulator("meituan", {"mt-app": "sekret"}).start()
    try:
        assert platform_api.url.endswith("/api/v1/")
        food_data = json.dumps([{"app_food_code": "S", "skus": [{"sku_id": "S", "stock": "3"}]}])
        stock = {"app_poi_code": "SHOP", "food_data": food_data}
        assert _meituan_call(platform_api.url + "retail/sku/stock", "POST", stock, "sekret") == (200, {"data": "ok"})
        assert _meituan_call(platform_api.url + "retail/sku/stock", "POST", stock, "wrong") == \
            (200, {"data": "ng", "error": {"code": 703, "msg": "签名验证错误"}})
        cancel = {"order_id": "O1", "reason_code": "2007", "reason": "x"}
        assert _meituan_call(platform_api.url + "order/cancel", "GET", cancel, "sekret") == (200, {"data": "ok"})
        platform_api.state.refuse_next = 1
        status, answer = _meituan_call(platform_api.url + "order/confirm", "POST", {"order_id": "O1"}, "sekret")
        assert (status, answer["data"], answer["error"]["code"]) == (200, "ng", 1001)
        status, answer = _meituan_call(platform_api.url + "order/confirm", "GET", {"order_id": "O1"}, "sekret")
        assert (status, answer["data"]) == (404, "ng"), "order/confirm is a POST"
        received = platform_api.state.received()
        assert [(entry["path"], entry["signed"]) for entry in received] == [
            ("retail/sku/stock", True), ("retail/sku/stock", False), ("order/cancel", True),
            ("order/confirm", True), ("order/confirm", True)]
        assert received[2]["params"] == {"order_id": "O1", "reason_code": "2007", "reason": "x", "app_id": "mt-app",
                                         "timestamp": "1700000000"}
        assert platform_api.state.stock("SHOP") == {"S": 3.0}, "only the signed push counts"
    finally:
        platform_api.stop()


@pytest.mark.parametrize("platform", ["douyin", "meituan", "eleme"])
@pytest.mark.parametrize("event", ["create", "cancel", "delivered", "refund"])
def test_simulator_builds_signed_webhooks_the_addon_reads(platform, event):
    order = {"order_id": "O1", "refund_id": "R1", "goods_returned": True,
             "lines": [{"sku": "S", "qty": 2, "price": 3.5}]}
    url, data, headers = simulator.build_webhook(platform, "http://x/hook/SHOP", "k", event, order, "m9",
                                                 timestamp=1_700_000_000)
    kind = None
    if platform == "douyin":
        assert headers["X-Douyin-Signature"] == signature.douyin_signature("k", data)
        fields = json.loads(data)
    elif platform == "eleme":
        fields = json.loads(data)
        assert fields["signature"] == signature.eleme_signature(fields, "k")
    else:
        fields = dict(urllib.parse.parse_qsl(data.decode()))
        assert fields["sig"] == signature.meituan_signature(url, fields, "k")
        kind = url.rsplit("/", 1)[1]
    read = payload.read_event(platform, fields, kind=kind, message_id=headers.get("Msg-Id"), shop_code="SHOP")
    assert (read["event"], read["order_id"], read["timestamp"]) == (event, "O1", 1_700_000_000)
    if event == "create":
        assert read["lines"] == [{"sku": "S", "qty": 2.0, "price": 3.5}]
    if event == "refund":
        assert (read["refund_id"], read["lines"]) == ("R1", [{"sku": "S", "qty": 2.0}])
        assert read["goods_returned"] is (platform == "meituan")
    if platform != "meituan":
        assert read["message_id"] == "m9"
