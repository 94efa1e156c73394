from . import retail_stocktake_import
