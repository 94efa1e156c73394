"""Sizes of the chains the generator builds."""

SCALES = {
    "test": {"stores": 2, "products": 30, "members": 50, "days": 14, "orders_per_store_day": 8},
    "demo": {"stores": 5, "products": 300, "members": 2000, "days": 90, "orders_per_store_day": 60},
    "bench": {"stores": 50, "products": 5000, "members": 300000, "days": 180, "orders_per_store_day": 115},
}
