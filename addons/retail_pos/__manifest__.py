{
    "name": "Retail Point of Sale",
    "version": "19.0.1.2.0",
    "category": "Retail",
    "summary": "Store policy at the till, manager approvals enforced on the server, "
    "pinyin search, RMB capitals on receipts, blind closing, P&L per store",
    "author": "Retail Suite Contributors",
    "website": "https://github.com/retail-suite/retail-suite",
    "license": "LGPL-3",
    "depends": ["retail_base", "point_of_sale", "pos_hr", "product_expiry"],
    "external_dependencies": {"python": ["cn2an"]},
    "data": [
        "security/retail_pos_security.xml",
        "security/ir.model.access.csv",
        "data/retail_pos_data.xml",
        "views/retail_pos_approval_views.xml",
        "views/hr_employee_views.xml",
        "views/retail_pos_cash_drop_views.xml",
        "views/pos_order_views.xml",
        "views/pos_session_views.xml",
        "views/stock_warehouse_views.xml",
        "views/res_config_settings_views.xml",
        "views/retail_pos_menus.xml",
        "report/report_invoice.xml",
    ],
    "post_init_hook": "post_init_hook",
    "assets": {
        "point_of_sale._assets_pos": [
            "retail_pos/static/src/app/**/*",
        ],
        "web.assets_tests": [
            "retail_pos/static/tests/tours/**/*",
        ],
    },
}
