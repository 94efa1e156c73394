from . import test_chain_stock_report
from . import test_dispatch_concurrency
from . import test_dispatch_proposal
from . import test_dispatch_rights
from . import test_scan_receive
from . import test_stock_rights
from . import test_stocktake
from . import test_translation
