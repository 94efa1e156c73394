from . import retail_einvoice_provider
from . import retail_einvoice
from . import retail_einvoice_line
from . import retail_einvoice_log
from . import pos_order
from . import account_move
from . import res_company
