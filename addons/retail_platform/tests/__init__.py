from . import (
    test_call_log,
    test_meituan_outbound,
    test_orders,
    test_refusals,
    test_rights_http,
    test_sets,
    test_settlement,
    test_stock_feed,
    test_token_outbound,
)
