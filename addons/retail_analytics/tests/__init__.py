from . import test_anomaly_scan, test_close_pack, test_dashboard, test_reports, test_review_workflow
