from . import test_orders, test_refusals
