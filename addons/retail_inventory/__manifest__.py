{
    "name": "Retail Inventory",
    "version": "19.0.1.2.0",
    "category": "Retail",
    "summary": "Chain stock view and expiry-aware dispatch between stores through transit",
    "author": "Retail Suite Contributors",
    "website": "https://github.com/retail-suite/retail-suite",
    "license": "LGPL-3",
    "depends": ["retail_base", "stock", "product_expiry", "stock_account", "barcodes_gs1_nomenclature"],
    "external_dependencies": {"python": ["numpy", "openpyxl", "xlrd"]},
    "data": [
        "security/retail_inventory_security.xml",
        "security/ir.model.access.csv",
        "data/retail_inventory_data.xml",
        "views/stock_warehouse_views.xml",
        "views/stock_picking_views.xml",
        "views/retail_receipt_discrepancy_views.xml",
        "wizard/retail_stocktake_import_views.xml",
        "views/retail_stocktake_views.xml",
        "views/retail_dispatch_route_views.xml",
        "views/retail_dispatch_proposal_views.xml",
        "report/retail_stock_report_views.xml",
        "report/retail_expiry_report_views.xml",
        "views/retail_inventory_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "retail_inventory/static/src/scan_receive/*",
        ],
        "web.assets_tests": [
            "retail_inventory/static/tests/tours/*.js",
        ],
    },
}
