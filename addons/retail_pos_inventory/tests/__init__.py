from . import (
    test_markdown_proposal,
    test_markdown_rights_http,
    test_markdown_schedule,
    test_markdown_till,
    test_stock_request_http,
    test_tours,
)
