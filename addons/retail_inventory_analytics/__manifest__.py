{
    "name": "Retail Inventory Analytics",
    "version": "19.0.1.0.0",
    "category": "Retail",
    "summary": "Anomaly baselines on the demand history: days the shelf was empty and promotion "
    "days are left out of a product's usual day, and are never a sales drop or spike",
    "author": "Retail Suite Contributors",
    "website": "https://github.com/retail-suite/retail-suite",
    "license": "LGPL-3",
    "depends": ["retail_inventory", "retail_analytics"],
    "external_dependencies": {"python": ["numpy"]},
    "auto_install": True,
}
