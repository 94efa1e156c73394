from . import retail_sales_report
from . import retail_store_sales_report
from . import retail_data_quality_report
