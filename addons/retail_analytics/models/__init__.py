from . import (
    retail_anomaly_rule,
    retail_close_pack,
    retail_close_pack_line,
    retail_dashboard,
    retail_review_item,
    retail_store_mixin,
)
