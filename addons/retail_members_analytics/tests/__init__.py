from . import test_close_pack_members
from . import test_dashboard_members
from . import test_rights_http
