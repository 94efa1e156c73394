from . import retail_region
from . import retail_pinyin
from . import retail_store_mixin
from . import stock_warehouse
from . import res_company
from . import res_users
from . import ir_rule
from . import res_config_settings
