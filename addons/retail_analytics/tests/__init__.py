from . import test_anomaly_scan
from . import test_close_pack
