from . import test_chain_generator
from . import test_demo_chain_pos
from . import test_generator_parts
from . import test_rights_http
from . import test_first_morning
from . import test_journey_office
