from . import retail_platform_order_reject
