from . import anomaly
from . import sparkline
