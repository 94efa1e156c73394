from . import test_members, test_points, test_tiers
