from . import test_store
from . import test_suite_together
