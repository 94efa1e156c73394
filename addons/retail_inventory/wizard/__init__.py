from . import retail_stock_report_export
from . import retail_stocktake_import
