from . import retail_close_pack
