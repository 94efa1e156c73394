from . import test_close_pack_platform
from . import test_rights_http
