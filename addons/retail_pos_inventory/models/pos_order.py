from collections import defaultdict

from odoo import api, fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    @api.model
    def _retail_expected_prices(self, to_check, line_vals_by_uuid, config_by_session, ruled_pricelists=None):
        """A lot sold during an approved markdown step of its store may sell at the step's price.

        The step is the one under way when the order was taken, and never a later one: a date
        after now counts as now. A line of several lots takes the highest of their prices, and
        a lot without a step running keeps the price list price. One query for all lines.
        """
        expected, combos, shares = super()._retail_expected_prices(
            to_check, line_vals_by_uuid, config_by_session, ruled_pricelists)
        if not expected:
            return expected, combos, shares
        now = fields.Datetime.now()
        wanted = []
        for order, _approvals in to_check:
            config = config_by_session.get(order.get("session_id"))
            if not config:
                continue
            try:
                date = fields.Datetime.to_datetime(order.get("date_order")) or now
            except (TypeError, ValueError):
                date = now
            date = min(date, now)
            for vals in line_vals_by_uuid[order.get("uuid")]:
                if id(vals) not in expected or not isinstance(vals.get("product_id"), int):
                    continue
                names = self._retail_lot_names(vals)
                if names:
                    wanted.append((vals, config.warehouse_id.id, date, names))
        if not wanted:
            return expected, combos, shares
        steps = self.env["retail.lot.markdown.step"].sudo().search_read([
            ("state", "=", "approved"),
            ("store_id", "in", list({store for _v, store, _d, _n in wanted})),
            ("product_id", "in", list({vals["product_id"] for vals, _s, _d, _n in wanted})),
            ("lot_name", "in", list({name for _v, _s, _d, names in wanted for name in names})),
            ("date_to", ">", min(date for _v, _s, date, _n in wanted)),
        ], ["store_id", "product_id", "lot_name", "date_from", "date_to", "price"], load=False)
        by_lot = defaultdict(list)
        for step in steps:
            by_lot[step["store_id"], step["product_id"], step["lot_name"]].append(step)
        for vals, store, date, names in wanted:
            prices = []
            for name in names:
                step = next((step for step in by_lot[store, vals["product_id"], name]
                             if step["date_from"] <= date < step["date_to"]), None)
                if step is None:
                    break
                prices.append(step["price"])
            else:
                expected[id(vals)] = min(expected[id(vals)], max(prices))
        return expected, combos, shares

    @api.model
    def _retail_lot_names(self, vals):
        names = set()
        for command in vals.get("pack_lot_ids") or []:
            if isinstance(command, (list, tuple)) and len(command) == 3 and isinstance(command[2], dict):
                name = command[2].get("lot_name")
                if isinstance(name, str) and name:
                    names.add(name)
        return names
