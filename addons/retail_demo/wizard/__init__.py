from . import retail_chain_generator_wizard
