from . import retail_close_pack
from . import retail_close_pack_line
from . import retail_anomaly_rule
from . import retail_review_item
from . import retail_dashboard
