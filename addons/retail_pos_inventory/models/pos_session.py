import math

from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# stores offered to the cashier, the nearest first
MAX_STORES = 8


class PosSession(models.Model):
    _inherit = "pos.session"

    @api.model
    def _load_pos_data_models(self, config):
        return [*super()._load_pos_data_models(config), "retail.lot.markdown.step"]

    # ------------------------------------------------------------------ stock in other stores

    def _retail_till_store(self):
        """The store of this open session, for a user of its till."""
        self.ensure_one()
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only point of sale users may ask other stores for stock."))
        self.check_access("read")  # the store walls on sessions: a till of one's own store
        session = self.sudo()
        if session.state != "opened":
            raise UserError(self.env._("The session %(session)s is not open.", session=session.name))
        store = session.config_id.warehouse_id
        if store.retail_store_type != "store":
            raise UserError(self.env._("This till does not belong to a store."))
        return store

    def _retail_stock_of_other_stores(self, store, product):
        """``{store: units free to send}`` of ``product`` in the company's other stores: on hand
        less what is reserved, in the stores' internal locations; one query."""
        self.env["stock.quant"].flush_model(["quantity", "reserved_quantity", "location_id", "product_id"])
        self.env.cr.execute(SQL("""
            SELECT wh.id, SUM(quant.quantity - quant.reserved_quantity)::float8
              FROM stock_quant quant
              JOIN stock_location loc ON loc.id = quant.location_id
              JOIN stock_warehouse wh ON wh.id = loc.warehouse_id
             WHERE loc.usage = 'internal' AND quant.product_id = %(product)s
               AND wh.retail_store_type = 'store' AND wh.id != %(store)s AND wh.company_id = %(company)s
               AND wh.active
          GROUP BY wh.id
            HAVING SUM(quant.quantity - quant.reserved_quantity) >= 1
        """, product=product.id, store=store.id, company=store.company_id.id))
        return dict(self.env.cr.fetchall())

    def _retail_product_for_request(self, product_id):
        product = self.env["product.product"].sudo().browse(product_id if isinstance(product_id, int) else 0).exists()
        if not product or not product.is_storable or not product.active:
            raise UserError(self.env._("Only a stocked product of the catalogue can be asked from another store."))
        return product

    def retail_stock_elsewhere(self, product_id):
        """The other stores holding ``product_id``, the same region first, with the units each
        could send. For the cashier, who tells a customer where it is; nothing else of the
        other stores is shown."""
        store = self._retail_till_store()
        product = self._retail_product_for_request(product_id)
        free = self._retail_stock_of_other_stores(store, product)
        stores = self.env["stock.warehouse"].sudo().browse(list(free))
        region = store.retail_region_id
        ordered = sorted(stores, key=lambda other: (other.retail_region_id != region, -free[other.id], other.name))
        return [{
            "id": other.id, "name": other.name, "region": other.retail_region_id.name or "",
            "qty": math.floor(free[other.id] * 1000) / 1000,
        } for other in ordered[:MAX_STORES]]

    def retail_request_stock(self, product_id, store_id, quantity, note=""):
        """Ask ``store_id`` to send ``quantity`` of ``product_id`` to this till's store: a draft
        dispatch proposal of that one transfer, for headquarters or that store's manager."""
        store = self._retail_till_store()
        product = self._retail_product_for_request(product_id)
        try:
            quantity = float(quantity)
        except (TypeError, ValueError):
            quantity = float("nan")
        if not math.isfinite(quantity) or quantity <= 0:
            raise UserError(self.env._("Ask for a positive number of units."))
        unit = self.env.ref("uom.product_uom_unit", raise_if_not_found=False)
        if (product.uom_id == unit or product.uom_id.rounding >= 1) and quantity != int(quantity):
            raise UserError(self.env._("%(product)s is counted in whole units.", product=product.display_name))
        free = self._retail_stock_of_other_stores(store, product)
        source = self.env["stock.warehouse"].sudo().browse(store_id if isinstance(store_id, int) else 0)
        if source.id not in free:
            raise UserError(self.env._(
                "That store has no %(product)s to send: ask one of the stores the till lists.",
                product=product.display_name))
        if quantity > free[source.id] + 1e-6:
            raise UserError(self.env._(
                "%(store)s can send at most %(qty)s of %(product)s.",
                store=source.name, qty=f"{free[source.id]:g}", product=product.display_name))
        Proposal = self.env["retail.dispatch.proposal"].sudo()
        open_request = Proposal.search([
            ("state", "=", "draft"), ("retail_requested_by_id", "!=", False),
            ("line_ids.source_id", "=", source.id), ("line_ids.destination_id", "=", store.id),
            ("line_ids.product_id", "=", product.id),
        ], limit=1)
        if open_request:
            raise UserError(self.env._(
                "%(store)s has already been asked for %(product)s (%(request)s): it waits for a decision.",
                store=source.name, product=product.display_name, request=open_request.name))
        note = (note or "")[:200] if isinstance(note, str) else ""
        proposal = Proposal.with_company(store.company_id).create({
            "company_id": store.company_id.id,
            "dispatcher_id": False,
            "store_ids": [Command.set([source.id, store.id])],
            "retail_requested_by_id": self.env.uid,
            "retail_request_session_id": self.id,
            "retail_request_note": note,
            "line_ids": [Command.create({
                "source_id": source.id, "destination_id": store.id, "product_id": product.id,
                "quantity": quantity, "reason": "request",
            })],
        })
        proposal.message_post(body=self.env._(
            "Asked at %(till)s by %(user)s for a customer: %(qty)s of %(product)s from %(sender)s to %(store)s.",
            till=self.sudo().config_id.name, user=self.env.user.name, qty=f"{quantity:g}", product=product.display_name,
            sender=source.name, store=store.name))
        return {
            "proposal": proposal.name,
            "message": self.env._(
                "Request %(request)s sent: %(qty)s of %(product)s from %(sender)s. Headquarters or the manager "
                "of %(sender)s decides.", request=proposal.name, qty=f"{quantity:g}", product=product.display_name,
                sender=source.name),
        }
