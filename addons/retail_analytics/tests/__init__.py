from . import test_anomaly_scan
from . import test_close_pack
from . import test_dashboard
from . import test_read_replica
from . import test_reports
from . import test_rights_http
from . import test_review_workflow
