from . import test_finance, test_insight, test_members, test_points, test_security, test_till_tour, test_tiers
