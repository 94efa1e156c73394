from . import anomaly, day_ranges, sparkline
