from odoo import api, models


class RetailChainGenerator(models.AbstractModel):
    _inherit = "retail.chain.generator"

    @api.model
    def _retail_generate_extra(self, chain):
        result = super()._retail_generate_extra(chain)
        self._retail_pos_generate_policies(chain)
        return result

    @api.model
    def _retail_pos_generate_policies(self, chain):
        """Strict till policies for the demo stores, PINs and badges for their managers."""
        stores = chain.get("stores") or self.env["stock.warehouse"]
        configs = stores.retail_pos_config_ids
        if configs:
            configs.sudo().write({
                "module_pos_hr": True,
                "retail_scan_first": True,
                "retail_max_line_discount": 10.0,
                "retail_max_order_discount": 15.0,
                "retail_price_override_allowed": False,
                "retail_return_without_receipt": False,
                "retail_return_approval_amount": 200.0,
                "retail_cash_out_limit": 500.0,
                "retail_cash_drop_witness": True,
                "retail_blind_closing": True,
            })
        managers = (chain.get("users") or {}).get("managers") or self.env["res.users"]
        rng = chain.get("rng")
        vals_list = []
        existing = self.env["hr.employee"].sudo().search([("user_id", "in", managers.ids)])
        with_employee = set(existing.user_id.ids)
        for index, user in enumerate(managers):
            pin = str(int(rng.integers(1000, 10000))) if rng is not None else f"{1000 + index}"
            vals = {"pin": pin, "barcode": f"RM{user.id:08d}"}
            if user.id in with_employee:
                existing.filtered(lambda e, u=user: e.user_id == u).write(vals)
            else:
                vals_list.append({**vals, "name": user.name, "user_id": user.id,
                                  "company_id": (chain.get("company") or self.env.company).id})
        if vals_list:
            self.env["hr.employee"].sudo().create(vals_list)
        chain.setdefault("summary", {})["retail_pos_policies"] = len(configs)
        chain["summary"]["retail_pos_manager_badges"] = len(managers)
