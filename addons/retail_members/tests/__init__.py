from . import test_finance
from . import test_insight
from . import test_members
from . import test_points
from . import test_preferences
from . import test_security
from . import test_till_tour
from . import test_tiers
