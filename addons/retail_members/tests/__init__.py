from . import test_finance, test_insight, test_members, test_points, test_security, test_tiers, test_till_tour
