from . import (
    loyalty_program,
    pos_config,
    pos_order,
    res_company,
    res_config_settings,
    res_partner,
    retail_member_lookup,
    retail_member_tier,
    retail_member_tier_history,
    retail_points_lot,
    retail_points_move,
)
