{
    "name": "Retail Demo Chain",
    "version": "19.0.1.1.0",
    "category": "Retail",
    "summary": "The demo and bench chain generator: stores, products, members, two years of sales, "
               "Chinese books and the chain's first morning",
    "author": "Retail Suite Contributors",
    "website": "https://github.com/retail-suite/retail-suite",
    "license": "LGPL-3",
    "depends": ["retail_pos", "retail_inventory", "retail_members", "retail_analytics", "retail_platform",
                "l10n_cn"],
    "external_dependencies": {"python": ["numpy"]},
    "data": [
        "security/ir.model.access.csv",
        "wizard/retail_chain_generator_wizard_views.xml",
        "views/retail_demo_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "retail_demo/static/tests/tours/**/*",
        ],
    },
}
