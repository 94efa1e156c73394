from . import retail_close_pack_build_wizard
