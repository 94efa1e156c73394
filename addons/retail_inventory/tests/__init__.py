from . import test_chain_stock_report, test_dispatch_proposal, test_dispatch_rights, test_scan_receive, test_stocktake
