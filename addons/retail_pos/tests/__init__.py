from . import (
    test_cash_control,
    test_cash_drops,
    test_closed_session,
    test_order_sequences,
    test_pinyin,
    test_policy_settings,
    test_session_analytic,
    test_special_lines,
    test_sync_enforcement,
    test_tours,
    test_trust_boundary,
    test_rights_http,
)
