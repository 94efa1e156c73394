{
    "name": "Retail Platform Analytics",
    "version": "19.0.1.0.0",
    "category": "Retail",
    "summary": "Delivery-platform figures in the daily close pack: platform orders, sales, refunds, "
    "their share of the store's sales and the payouts' commission",
    "author": "Retail Suite Contributors",
    "website": "https://github.com/retail-suite/retail-suite",
    "license": "LGPL-3",
    "depends": ["retail_platform", "retail_analytics"],
    "auto_install": True,
    "data": [
        "report/retail_close_pack_report.xml",
        "views/retail_close_pack_views.xml",
    ],
    "post_init_hook": "post_init_hook",
}
