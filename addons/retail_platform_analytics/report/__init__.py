from . import platform_sales_sql
