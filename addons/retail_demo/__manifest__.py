{
    "name": "Retail Demo Chain",
    "version": "19.0.1.0.0",
    "category": "Retail",
    "summary": "The demo chain's books and first week: Chinese accounts, today's tills, goods on the way, "
               "a count in progress, yesterday's close packs",
    "author": "Retail Suite Contributors",
    "website": "https://github.com/retail-suite/retail-suite",
    "license": "LGPL-3",
    "depends": ["retail_pos", "retail_inventory", "retail_members", "retail_analytics", "l10n_cn"],
    "assets": {
        "web.assets_tests": [
            "retail_demo/static/tests/tours/**/*",
        ],
    },
}
