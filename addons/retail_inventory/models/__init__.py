from . import (
    retail_chain_generator,
    retail_dispatch_proposal,
    retail_dispatch_proposal_line,
    retail_dispatch_route,
    stock_picking,
    stock_warehouse,
)
