{
    "name": "Retail POS Inventory",
    "version": "19.0.1.0.0",
    "category": "Retail",
    "summary": "Lot markdowns at the till: stepwise schedules for lots that will not sell before "
    "they expire, approved by the store, applied when the lot is scanned and checked by the server; "
    "stock asked from another store at the till",
    "author": "Retail Suite Contributors",
    "website": "https://github.com/retail-suite/retail-suite",
    "license": "LGPL-3",
    "depends": ["retail_pos", "retail_inventory"],
    "auto_install": True,
    "external_dependencies": {"python": ["numpy"]},
    "data": [
        "security/retail_pos_inventory_security.xml",
        "security/ir.model.access.csv",
        "views/retail_lot_markdown_views.xml",
        "views/retail_expiry_report_views.xml",
        "views/retail_dispatch_proposal_views.xml",
        "views/stock_warehouse_views.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "retail_pos_inventory/static/src/app/**/*",
        ],
        "web.assets_tests": [
            "retail_pos_inventory/static/tests/tours/**/*",
        ],
    },
}
