from . import (
    retail_platform_callback,
    retail_platform_error,
    retail_platform_log,
    retail_platform_message,
    retail_platform_order,
    retail_platform_order_line,
    retail_platform_product,
    retail_platform_settlement,
    retail_platform_settlement_line,
    retail_platform_shop,
)
