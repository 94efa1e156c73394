from . import (
    res_users,
    retail_chain_generator,
    retail_dispatch_proposal,
    retail_dispatch_proposal_line,
    retail_dispatch_route,
    retail_receipt_discrepancy,
    retail_stocktake,
    retail_stocktake_line,
    stock_location,
    stock_move,
    stock_picking,
    stock_warehouse,
)
