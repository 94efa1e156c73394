from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["pos.config"].with_context(active_test=False).search([])._retail_use_standard_sequences()
