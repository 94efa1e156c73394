from . import test_first_morning
from . import test_journey_office
