from . import test_anomaly_baseline
