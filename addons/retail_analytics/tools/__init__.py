from . import anomaly, sparkline
