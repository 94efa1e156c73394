from . import (
    pos_order,
    pos_session,
    retail_dispatch_proposal,
    retail_dispatch_proposal_line,
    retail_expiry_report,
    retail_lot_markdown,
    retail_lot_markdown_step,
    retail_nightly_run,
    stock_warehouse,
)
