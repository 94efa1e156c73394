from . import member_sales_sql
