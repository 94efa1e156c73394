from . import test_einvoice
from . import test_portal
from . import test_retry_log
from . import test_rights_http
from . import test_tours
