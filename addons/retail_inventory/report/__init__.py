from . import retail_expiry_report, retail_stock_report
