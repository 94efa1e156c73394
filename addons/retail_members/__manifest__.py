{
    "name": "Retail Members",
    "version": "19.0.1.3.0",
    "category": "Retail",
    "summary": "Member cards, tiers that rise and fall, points that expire, benefits at the till, "
    "points liability for finance",
    "author": "Retail Suite Contributors",
    "website": "https://github.com/retail-suite/retail-suite",
    "license": "LGPL-3",
    "depends": ["retail_base", "loyalty", "point_of_sale", "pos_loyalty", "account"],
    "external_dependencies": {"python": ["numpy"]},
    "data": [
        "security/retail_members_security.xml",
        "security/ir.model.access.csv",
        "data/retail_members_data.xml",
        "views/res_partner_views.xml",
        "views/retail_member_tier_views.xml",
        "views/retail_points_move_views.xml",
        "views/retail_member_insight_views.xml",
        "views/retail_member_preference_report_views.xml",
        "wizard/retail_member_merge_wizard_views.xml",
        "views/res_config_settings_views.xml",
        "views/retail_members_menus.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "retail_members/static/src/app/**/*",
        ],
        "web.assets_tests": [
            "retail_members/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
}
