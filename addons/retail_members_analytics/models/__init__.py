from . import retail_close_pack, retail_dashboard
