{
    "name": "Retail Analytics",
    "version": "19.0.1.1.0",
    "category": "Retail",
    "summary": "Daily close pack per store, anomaly rules with a review queue, retail dashboards",
    "author": "Retail Suite Contributors",
    "website": "https://github.com/retail-suite/retail-suite",
    "license": "LGPL-3",
    "depends": ["retail_base", "point_of_sale", "stock", "account", "mail"],
    "external_dependencies": {"python": ["numpy", "openpyxl"]},
    "data": [
        "security/retail_analytics_security.xml",
        "security/ir.model.access.csv",
        "report/retail_close_pack_report.xml",
        "data/mail_template_data.xml",
        "data/retail_analytics_data.xml",
        "views/retail_sales_report_views.xml",
        "views/retail_data_quality_report_views.xml",
        "views/retail_close_pack_views.xml",
        "views/retail_anomaly_rule_views.xml",
        "views/retail_review_item_views.xml",
        "views/retail_dashboard_views.xml",
        "views/retail_analytics_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "retail_analytics/static/src/dashboard/**/*",
        ],
        "web.assets_tests": [
            "retail_analytics/static/tests/tours/**/*",
        ],
    },
}
