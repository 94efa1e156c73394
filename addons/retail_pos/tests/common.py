import json
from datetime import timedelta
from uuid import uuid4

from odoo import fields
from odoo.addons.retail_base.tests.common import RetailCase
from odoo.tests import new_test_user


class RetailPosCase(RetailCase):
    """Two stores with a till each, staff with PINs and badges, an open session in each store.

    Managers approve with an approval PIN of their own, apart from their login PIN and badge.
    """

    MANAGER_A_PIN = "258046"
    MANAGER_B_PIN = "369046"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = env.company
        def cash_method(code):
            journal = env["account.journal"].create({
                "name": f"Cash {code}", "code": code, "type": "cash", "company_id": company.id,
            })
            return env["pos.payment.method"].create({
                "name": f"Cash {code}", "journal_id": journal.id, "company_id": company.id,
            })

        cls.cash_method = cash_method("RCSA")
        cls.cash_method_b = cash_method("RCSB")
        cls.pricelist = env["product.pricelist"].create({
            "name": "Retail Prices", "currency_id": company.currency_id.id,
        })
        config_vals = {
            "pricelist_id": cls.pricelist.id,
            "available_pricelist_ids": [(6, 0, cls.pricelist.ids)],
            "module_pos_hr": True,
            "retail_max_line_discount": 10.0,
            "retail_max_order_discount": 50.0,
            "retail_price_override_allowed": False,
            "retail_return_without_receipt": False,
        }
        cls.config_a = env["pos.config"].create({
            **config_vals, "name": "Till A", "warehouse_id": cls.store_a.id,
            "payment_method_ids": [(6, 0, cls.cash_method.ids)],
            "picking_type_id": cls.store_a.pos_type_id.id,
        })
        cls.config_b = env["pos.config"].create({
            **config_vals, "name": "Till B", "warehouse_id": cls.store_b.id,
            "payment_method_ids": [(6, 0, cls.cash_method_b.ids)],
            "picking_type_id": cls.store_b.pos_type_id.id,
        })
        Employee = env["hr.employee"]
        cls.employee_manager_a = Employee.create({
            "name": "Manager A", "user_id": cls.manager_a.id, "pin": "2580", "barcode": "BADGEMGRA",
        })
        cls.employee_manager_b = Employee.create({
            "name": "Manager B", "user_id": cls.manager_b.id, "pin": "3690", "barcode": "BADGEMGRB",
        })
        cls.employee_cashier_a = Employee.create({
            "name": "Cashier A", "user_id": cls.cashier_a.id, "pin": "1470", "barcode": "BADGECSHA",
        })
        cls.employee_manager_a._retail_set_approval_pin(cls.MANAGER_A_PIN)
        cls.employee_manager_b._retail_set_approval_pin(cls.MANAGER_B_PIN)
        cls.pos_cashier = new_test_user(
            env, "retail_till_a", groups="retail_base.group_retail_staff,account.group_account_invoice",
        )
        cls.pos_cashier.retail_store_ids = cls.store_a
        Product = env["product.product"]
        category = env["product.category"].create({"name": "Retail Goods"})
        cls.cola = Product.create({
            "name": "可口可乐", "lst_price": 10.0, "barcode": "6901234567892", "available_in_pos": True,
            "is_storable": True, "taxes_id": [(5, 0, 0)], "categ_id": category.id,
        })
        cls.chips = Product.create({
            "name": "Crisps", "lst_price": 6.0, "available_in_pos": True, "is_storable": True,
            "taxes_id": [(5, 0, 0)], "categ_id": category.id,
        })
        cls.milk = Product.create({
            "name": "Fresh Milk", "lst_price": 8.0, "available_in_pos": True, "is_storable": True,
            "tracking": "lot", "use_expiration_date": True, "taxes_id": [(5, 0, 0)], "categ_id": category.id,
        })
        now = fields.Datetime.now()
        cls.lot_expired = env["stock.lot"].create({
            "name": "MILK-OLD", "product_id": cls.milk.id, "expiration_date": now - timedelta(days=2),
        })
        cls.lot_fresh = env["stock.lot"].create({
            "name": "MILK-NEW", "product_id": cls.milk.id, "expiration_date": now + timedelta(days=10),
        })
        cls.config_a.open_ui()
        cls.session_a = cls.config_a.current_session_id
        cls.session_a.set_opening_control(0, None)
        cls.config_b.open_ui()
        cls.session_b = cls.config_b.current_session_id
        cls.session_b.set_opening_control(0, None)

    # ------------------------------------------------------------------
    # Orders as the till sends them
    # ------------------------------------------------------------------

    @classmethod
    def make_line(cls, product, qty=1.0, price_unit=None, discount=0.0, lot_names=(), **extra):
        price = product.lst_price if price_unit is None else price_unit
        subtotal = price * qty * (1 - discount / 100.0)
        return {
            "uuid": str(uuid4()),
            "product_id": product.id,
            "qty": qty,
            "price_unit": price,
            "discount": discount,
            "price_subtotal": subtotal,
            "price_subtotal_incl": subtotal,
            "tax_ids": [(6, 0, [])],
            "pack_lot_ids": [(0, 0, {"lot_name": name}) for name in lot_names],
            **extra,
        }

    @classmethod
    def make_order(cls, lines, session=None, approvals=None, uuid=None, **extra):
        session = session or cls.session_a
        total = sum(line["price_subtotal_incl"] for line in lines)
        uuid = uuid or str(uuid4())
        order = {
            "uuid": uuid,
            "name": f"Order {uuid[:8]}",
            "session_id": session.id,
            "pricelist_id": session.config_id.pricelist_id.id,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "lines": [(0, 0, line) for line in lines],
            "payment_ids": [(0, 0, {
                "amount": total, "name": fields.Datetime.now(),
                "payment_method_id": session.config_id.payment_method_ids[:1].id,
            })] if total else [],
            "amount_paid": total,
            "amount_total": total,
            "amount_tax": 0.0,
            "amount_return": 0.0,
            "state": "paid",
            "user_id": cls.env.uid,
            "last_order_preparation_change": "{}",
            **extra,
        }
        if approvals is not None:
            order["retail_approval_payload"] = json.dumps(approvals)
        return order

    def request_approval(self, employee, secret, order_uuid, action, line_uuid, new_value, original_value="",
                         session=None, user=None):
        """Ask the server for an approval as the till does; returns its answer."""
        session = session or self.session_a
        user = user or self.pos_cashier
        return session.with_user(user).retail_request_approval(
            action, order_uuid,
            [{"line_uuid": line_uuid, "new_value": str(new_value), "original_value": str(original_value)}],
            employee.id, secret,
        )

    def make_approval(self, employee, secret, order_uuid, action, line_uuid, new_value, original_value="",
                      session=None, user=None):
        """A server-signed approval, as the till keeps it on the order."""
        answer = self.request_approval(
            employee, secret, order_uuid, action, line_uuid, new_value, original_value, session=session, user=user,
        )
        self.assertTrue(answer["ok"], answer.get("message"))
        return answer["approvals"][0]

    def approve_a(self, order_uuid, action, line_uuid, new_value, original_value=""):
        """An approval of manager A at till A."""
        return self.make_approval(
            self.employee_manager_a, self.MANAGER_A_PIN, order_uuid, action, line_uuid, new_value, original_value,
        )

    def count_orders(self, uuid):
        return self.env["pos.order"].search_count([("uuid", "=", uuid)])
