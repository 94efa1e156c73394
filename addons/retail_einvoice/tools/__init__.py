from . import tax_id
from . import retry
