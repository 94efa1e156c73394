from . import test_first_morning
