# the generator, one file per phase; each later phase extends the hooks of the earlier ones
from . import retail_chain_generator
from . import retail_chain_generator_setup
from . import retail_chain_generator_history
from . import retail_chain_generator_accounting
from . import retail_chain_generator_pos
from . import retail_chain_generator_inventory
from . import retail_chain_generator_members
from . import retail_chain_generator_analytics
from . import retail_chain_generator_first_morning
from . import retail_chain_generator_platform
