from odoo import api, models

# Documented in the README's demo logins; a real chain sets one per manager.
DEMO_APPROVAL_PIN = "246810"


# One file per phase of the build: the generator as one class would be over a thousand lines.
# pylint: disable=consider-merging-classes-inherited
class RetailChainGenerator(models.AbstractModel):
    _inherit = "retail.chain.generator"

    @api.model
    def _retail_generate_extra(self, chain):
        result = super()._retail_generate_extra(chain)
        self._retail_pos_generate_policies(chain)
        return result

    @api.model
    def _retail_pos_generate_policies(self, chain):
        """Strict till policies for the demo stores; login PINs, badges and approval PINs for their managers."""
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
        employees = self._retail_pos_generate_employees(chain, stores)
        managers = employees["managers"]
        # One demo approval PIN for every store manager, hashed once.
        if managers:
            managers.write({
                "retail_approval_pin_hash": self.env["hr.employee"]._retail_pin_context().hash(DEMO_APPROVAL_PIN),
            })
        # Each till offers its own store's cashiers and managers only (never Administrator).
        for store in stores:
            store_configs = store.retail_pos_config_ids.sudo()
            if store_configs:
                store_configs.write({
                    "basic_employee_ids": [(6, 0, employees["cashiers_by_store"].get(store.id, []))],
                    "advanced_employee_ids": [(6, 0, employees["managers_by_store"].get(store.id, []))],
                })
        chain.setdefault("summary", {})["retail_pos_policies"] = len(configs)
        chain["summary"]["retail_pos_manager_badges"] = len(managers)
        chain["summary"]["retail_pos_cashier_employees"] = len(employees["cashiers"])

    @api.model
    def _retail_pos_generate_employees(self, chain, stores):
        """An employee per store manager and cashier, with a login PIN and badge the README lists.

        Store number n (S01 = 1): its manager logs in with PIN 2nn0, its k-th cashier with 1nnk.
        """
        users = chain.get("users") or {}
        managers = users.get("managers") or self.env["res.users"]
        store_cashiers = chain.get("store_cashiers") or {}
        company = chain.get("company") or self.env.company
        wanted = []
        for position, store in enumerate(stores, start=1):
            for manager in managers.filtered(lambda user, s=store: s in user.retail_store_ids):
                wanted.append(("manager", store, manager, f"2{position:02d}0", f"RM{manager.id:08d}"))
            for number, cashier in enumerate(store_cashiers.get(store.id) or [], start=1):
                wanted.append(("cashier", store, cashier, f"1{position:02d}{number % 10}", f"RC{cashier.id:08d}"))
        Employee = self.env["hr.employee"].sudo()
        existing = Employee.search([("user_id", "in", [user.id for _k, _s, user, _p, _b in wanted])])
        by_user = {employee.user_id.id: employee for employee in existing}
        to_create = []
        for _kind, _store, user, pin, badge in wanted:
            if user.id in by_user:
                by_user[user.id].write({"pin": pin, "barcode": badge})
            else:
                to_create.append({"name": user.name, "user_id": user.id, "company_id": company.id,
                                  "pin": pin, "barcode": badge})
        for employee in Employee.create(to_create):
            by_user[employee.user_id.id] = employee
        result = {"managers": Employee, "cashiers": Employee, "managers_by_store": {}, "cashiers_by_store": {}}
        for kind, store, user, _pin, _badge in wanted:
            employee = by_user[user.id]
            result[kind + "s"] |= employee
            result[kind + "s_by_store"].setdefault(store.id, []).append(employee.id)
        return result
