from . import retail_anomaly_rule
