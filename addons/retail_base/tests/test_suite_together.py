from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSuiteTogether(TransactionCase):
    def test_bridges_follow_their_dependencies(self):
        """Every retail bridge whose dependencies are installed is installed too."""
        Module = self.env["ir.module.module"]
        installed = set(Module.search([("state", "=", "installed")]).mapped("name"))
        bridges = Module.search([("name", "=like", "retail\\_%"), ("auto_install", "=", True)])
        for bridge in bridges:
            needed = set(bridge.dependencies_id.mapped("name"))
            if needed <= installed:
                self.assertIn(bridge.name, installed, f"{bridge.name} should have been installed")

    def test_retail_root_menu_reachable(self):
        menu = self.env.ref("retail_base.retail_menu_root")
        self.assertIn(self.env.ref("retail_base.group_retail_staff"), menu.group_ids)
