{
    "name": "Retail Members Analytics",
    "version": "19.0.1.0.0",
    "category": "Retail",
    "summary": "Member figures in the daily close pack and the retail dashboard: member sales and "
    "their share, member tickets, new members, points issued, redeemed and outstanding",
    "author": "Retail Suite Contributors",
    "website": "https://github.com/retail-suite/retail-suite",
    "license": "LGPL-3",
    "depends": ["retail_members", "retail_analytics"],
    "auto_install": True,
    "data": [
        "report/retail_close_pack_report.xml",
        "views/retail_close_pack_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "retail_members_analytics/static/src/dashboard/**/*",
        ],
        "web.assets_tests": [
            "retail_members_analytics/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
}
