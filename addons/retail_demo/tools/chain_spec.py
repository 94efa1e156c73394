"""Sizes of the chains the generator builds.

``orders_per_store_day`` is the mean number of tickets of an average store on an average
day (weekly seasonality and store effects move it around that mean); ``lines_per_order``
is the mean number of distinct articles on a ticket.
"""

SCALES = {
    "test": {
        "stores": 2, "products": 30, "members": 50, "days": 14,
        "orders_per_store_day": 8, "lines_per_order": 2.2, "cashiers_per_store": 1,
    },
    "demo": {
        "stores": 5, "products": 300, "members": 2000, "days": 90,
        "orders_per_store_day": 60, "lines_per_order": 3.0, "cashiers_per_store": 2,
    },
    "bench": {
        "stores": 50, "products": 5000, "members": 300000, "days": 180,
        "orders_per_store_day": 120, "lines_per_order": 3.3, "cashiers_per_store": 2,
    },
}
