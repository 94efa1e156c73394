from . import test_store
from . import test_suite_together
from . import test_rights_http
from . import test_pinyin
