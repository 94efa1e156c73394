import datetime
import shutil
import subprocess

from odoo.addons.retail_base.tests.common import RetailCase


def pdf_text(pdf):
    """The text of a PDF as poppler's ``pdftotext`` reads it, its layout kept."""
    if not pdf.startswith(b"%PDF"):
        raise AssertionError(f"not a PDF: {pdf[:80]!r}")
    if not shutil.which("pdftotext"):
        raise AssertionError("reading the PDF needs pdftotext (Debian package poppler-utils)")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True, timeout=60).stdout.decode()


class RetailAnalyticsCase(RetailCase):
    """Two stores with a till each, a few products, and helpers to put sales on given days.

    The stores' addresses have no time zone, so a store's day is the UTC day.
    """

    day = datetime.date(2026, 3, 10)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["retail.anomaly.rule"].search([]).action_archive()
        cls.till_a = cls.env["pos.config"].create({"name": "Till A", "warehouse_id": cls.store_a.id})
        cls.till_b = cls.env["pos.config"].create({"name": "Till B", "warehouse_id": cls.store_b.id})
        cls.session_a = cls.env["pos.session"].create({"config_id": cls.till_a.id, "user_id": cls.cashier_a.id})
        cls.session_b = cls.env["pos.session"].create({"config_id": cls.till_b.id, "user_id": cls.manager_b.id})
        cls.cashier_a2 = cls.env["res.users"].create({
            "name": "Second Cashier A", "login": "retail_cashier_a2",
            "group_ids": [(4, cls.env.ref("retail_base.group_retail_staff").id)],
            "retail_store_ids": [(6, 0, cls.store_a.ids)],
        })
        Product = cls.env["product.product"]
        cls.category = cls.env["product.category"].create({"name": "Dairy"})
        cls.milk = Product.create({"name": "Milk", "list_price": 5.0, "standard_price": 3.0,
                                   "is_storable": True, "categ_id": cls.category.id, "barcode": "RA-MILK"})
        cls.bread = Product.create({"name": "Bread", "list_price": 4.0, "standard_price": 2.0,
                                    "is_storable": True, "barcode": "RA-BREAD"})
        cls.yoghurt = Product.create({"name": "Yoghurt", "list_price": 2.0, "standard_price": 1.0,
                                      "is_storable": True, "categ_id": cls.category.id, "barcode": "RA-YOG"})
        cls.cheese = Product.create({"name": "Cheese", "list_price": 10.0, "standard_price": 6.0,
                                     "is_storable": True, "tracking": "lot", "categ_id": cls.category.id,
                                     "barcode": "RA-CHEESE"})

    @classmethod
    def at(cls, day, hour=12):
        return datetime.datetime.combine(day, datetime.time(hour, 0))

    @classmethod
    def sell(cls, session, user, when, lines, state="paid", partner=None):
        """A point of sale order (of ``partner``, if given); ``lines`` are (product, qty, unit price, discount %)."""
        line_vals = []
        total = 0.0
        for product, qty, price, discount in lines:
            subtotal = qty * price * (1 - discount / 100.0)
            total += subtotal
            line_vals.append((0, 0, {
                "product_id": product.id, "qty": qty, "price_unit": price, "discount": discount,
                "price_subtotal": subtotal, "price_subtotal_incl": subtotal,
                "total_cost": qty * product.standard_price,
            }))
        order = cls.env["pos.order"].create({
            "session_id": session.id, "config_id": session.config_id.id, "user_id": user.id,
            "partner_id": partner.id if partner else False,
            "date_order": when, "amount_tax": 0.0, "amount_total": total, "amount_paid": total,
            "amount_return": 0.0, "lines": line_vals,
        })
        order.write({"state": state})
        return order

    @classmethod
    def close_session(cls, store, user, when, counted, start=0.0):
        """A closed session on a new till of ``store`` with ``counted`` cash at the end and no
        cash sales: the variance is ``counted - start``."""
        cls._cash_tills = getattr(cls, "_cash_tills", 0) + 1
        journal = cls.env["account.journal"].create({
            "name": f"Till cash {cls._cash_tills}", "type": "cash", "code": f"RAC{cls._cash_tills}"})
        cash = cls.env["pos.payment.method"].create({"name": f"Cash {cls._cash_tills}", "journal_id": journal.id})
        config = cls.env["pos.config"].create({
            "name": f"Cash till {store.code} {cls._cash_tills}", "warehouse_id": store.id,
            "payment_method_ids": [(6, 0, cash.ids)]})
        session = cls.env["pos.session"].create({"config_id": config.id, "user_id": user.id})
        cls.env.flush_all()
        cls.env.cr.execute("""
            UPDATE pos_session SET state = 'closed', stop_at = %s, cash_register_balance_start = %s,
                   cash_register_balance_end_real = %s, cash_real_transaction = 0
             WHERE id = %s
        """, [when, start, counted, session.id])
        session.invalidate_recordset()
        return session
