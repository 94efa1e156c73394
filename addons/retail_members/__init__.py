from . import models, report, wizard


def post_init_hook(env):
    """Create the member programme and, when a chart of accounts exists, the points accounting."""
    for company in env["res.company"].search([]):
        company._retail_member_program()
        company._retail_points_accounting()
