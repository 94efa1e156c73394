from odoo.addons.retail_base.tools.migration import release_store_rules


def migrate(cr, version):
    release_store_rules(cr, "retail_members")
