"""The server's re-check of every order a till sends, as one pipeline over the whole batch.

Over 600 lines on purpose: the steps (header, prices and combos, discounts, refunds, lots,
amounts, approvals) read the same batch-wide prefetch and hand each other their results; split
across files they would be one class in several files, which is harder to follow, not easier.
"""

import json
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import policy as policy_tools
from ..tools.capitals import amount_in_capitals
from .pos_config import ENFORCED_STORE_TYPE

_logger = logging.getLogger(__name__)

MAX_REPORTED_VIOLATIONS = 5

# Marks the synchronisation's own writes: an object, so that no caller can send it (RPC carries
# only JSON values), unlike a flag.
RECORDING_KEY = "retail_pos_recording"
RECORDING = object()

# What a sale recorded: once paid, corrections go through a refund, never an edit.
RECORDED_ORDER_FIELDS = frozenset({
    "lines", "payment_ids", "amount_total", "amount_tax", "amount_paid", "amount_return", "pricelist_id",
    "fiscal_position_id", "session_id", "date_order", "currency_id", "company_id", "retail_approval_payload",
})


def _is_id(value):
    """A record id as a till may send it (``False`` is an ``int`` in Python, and no id)."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


class PosOrder(models.Model):
    _inherit = "pos.order"

    retail_approval_payload = fields.Text(
        string="Approvals Sent by the Till",
        copy=False,
        help="Manager approvals collected by the till for this order, as sent. They are "
        "verified when the order is synchronised and recorded as approvals; the receipt prints them.",
    )
    retail_approval_ids = fields.One2many("retail.pos.approval", "order_id", string="Approvals")
    retail_approval_count = fields.Integer(compute="_compute_retail_approval_count", string="Approval Count")
    retail_approval_state = fields.Selection(
        [("verified", "Approvals Verified"), ("to_confirm", "Approval to Confirm"), ("rejected", "Approval Rejected")],
        string="Approval Check",
        compute="_compute_retail_approval_state",
        store=True,
        index="btree_not_null",
        help="Approvals the till could not have the server verify (it was offline, or the approval "
        "had expired) leave the order to a store manager, who confirms or rejects them.",
    )

    retail_amount_in_capitals = fields.Char(
        string="Amount in Chinese Capitals",
        compute="_compute_retail_amount_in_capitals",
        help="Total in RMB capitals, as printed on the receipt.",
    )

    @api.depends("amount_total")
    def _compute_retail_amount_in_capitals(self):
        for order in self:
            order.retail_amount_in_capitals = amount_in_capitals(order.amount_total)

    @api.depends("retail_approval_ids.state")
    def _compute_retail_approval_state(self):
        for order in self:
            states = set(order.retail_approval_ids.mapped("state"))
            if "unverified" in states:
                order.retail_approval_state = "to_confirm"
            elif "rejected" in states:
                order.retail_approval_state = "rejected"
            elif states:
                order.retail_approval_state = "verified"
            else:
                order.retail_approval_state = False

    @api.depends("retail_approval_ids")
    def _compute_retail_approval_count(self):
        for order in self:
            order.retail_approval_count = len(order.retail_approval_ids)

    @api.model_create_multi
    def create(self, vals_list):
        # An order created as paid (core's tests and imports do) gets its lines and payments in
        # the same call: that writes a sale, it does not change a recorded one.
        orders = super(PosOrder, self.with_context(**{RECORDING_KEY: RECORDING})).create(vals_list)
        return orders.with_env(self.env)

    def write(self, vals):
        if not self.env.su and RECORDED_ORDER_FIELDS & vals.keys():
            self._retail_check_recorded(RECORDED_ORDER_FIELDS & vals.keys())
        return super().write(vals)

    def _retail_check_recorded(self, fields_written):
        """What a paid, done or invoiced sale recorded cannot be changed: corrections are refunds.

        Only the synchronisation writes a sale as it is paid (core creates it paid, then its lines
        and payments); it marks its environment with an object no RPC caller can send.
        """
        if self.env.context.get(RECORDING_KEY) is RECORDING:
            return
        recorded = self.filtered(lambda order: order.state not in ("draft", "cancel"))
        if recorded and fields_written:
            raise AccessError(self.env._(
                "%(order)s is paid: its lines, prices, totals and payments stay as recorded. "
                "Correct it with a refund.", order=recorded[0].name,
            ))

    @api.model
    def retail_expired_lots(self, product_lot_pairs):
        """The (product id, lot name) pairs of ``product_lot_pairs`` that are past expiry."""
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only point of sale users may check lots at the till."))
        pairs = [
            (int(pair[0]), str(pair[1])) for pair in product_lot_pairs or []
            if isinstance(pair, (list, tuple)) and len(pair) == 2
        ]
        if not pairs:
            return []
        lots = self.env["stock.lot"].sudo().search_read(
            [
                ("name", "in", [name for _p, name in pairs]),
                ("product_id", "in", [product for product, _n in pairs]),
                ("expiration_date", "<", fields.Datetime.now()),
            ],
            ["name", "product_id"],
            load=False,
        )
        expired = {(lot["product_id"], lot["name"]) for lot in lots}
        return [list(pair) for pair in pairs if pair in expired]

    # ------------------------------------------------------------------
    # Synchronisation
    # ------------------------------------------------------------------

    @api.model
    def _load_pos_data_fields(self, config):
        """Core sends the till every field of an order (on loading, and in the answer to each
        synchronisation), mail's too: followers, messages and attachment and error counters,
        each computed for every order and never shown at the till. The till gets the others."""
        names = super()._load_pos_data_fields(config)
        if names:
            return names
        mail = set(self.env["mail.thread"]._fields) - {"id", "display_name"}
        return [name for name in self._fields if name not in mail]

    @api.model
    def sync_from_ui(self, orders):
        checked = self._retail_check_orders(orders)
        result = super(PosOrder, self.with_context(**{RECORDING_KEY: RECORDING})).sync_from_ui(orders)
        self._retail_check_amounts(checked["uuids"], result)
        if checked["approvals"]:
            self._retail_record_approvals(checked["approvals"])
        return result

    @api.model
    def _get_valid_session(self, order):
        """An order of a closed session goes to the till's open session (core); when the till has
        none, say what a person must do and that the orders wait on the till, not just that a session
        is missing. Nothing is written: the synchronisation is refused as a whole."""
        session = self.env["pos.session"].browse(order["session_id"])
        try:
            return super()._get_valid_session(order)
        except UserError:
            raise UserError(self.env._(
                "%(till)s has no open session: its session %(session)s was closed before order "
                "%(order)s reached the server. The till keeps this order and the others it has not "
                "synchronised yet; open a new session of %(till)s and they are recorded in it.",
                till=session.config_id.name, session=session.name,
                order=order.get("pos_reference") or order.get("name") or order.get("uuid"),
            )) from None

    @api.model
    def _retail_line_vals(self, order, stored_lines):
        """The values of every line created or updated by ``order``'s commands.

        An update command carries only what changed: the stored values of the fields the checks
        read are filled in (core then writes them unchanged), so an update is checked as a whole
        line. An update of a line of another order is refused.
        """
        result = []
        for command in order.get("lines") or []:
            if not (isinstance(command, (list, tuple)) and len(command) == 3 and isinstance(command[2], dict)):
                continue
            if command[0] == 0:
                result.append(command[2])
            elif command[0] == 1:
                stored = stored_lines.get(command[1])
                if stored is None or stored["order_uuid"] != order.get("uuid"):
                    raise UserError(self.env._(
                        "Order %(order)s changes a line that is not one of its own; the order was not saved.",
                        order=order.get("name") or order.get("uuid"),
                    ))
                for key in ("product_id", "qty", "price_unit", "discount", "refunded_orderline_id", "uuid"):
                    if key not in command[2] and stored.get(key) is not None:
                        command[2][key] = stored[key]
                result.append(command[2])
        return result

    @api.model
    def _retail_stored_lines(self, orders):
        """Stored values of the lines that ``orders`` update, in one query for all."""
        line_ids = [
            command[1] for order in orders for command in order.get("lines") or []
            if isinstance(command, (list, tuple)) and len(command) == 3 and command[0] == 1
            and _is_id(command[1])
        ]
        if not line_ids:
            return {}
        self.env.cr.execute(
            """
            SELECT line.id, line.product_id, line.qty, line.price_unit, line.discount,
                   line.refunded_orderline_id, line.uuid, pos_order.uuid
              FROM pos_order_line line
              JOIN pos_order ON pos_order.id = line.order_id
             WHERE line.id = ANY(%s)
            """,
            [line_ids],
        )
        return {
            row[0]: {
                "product_id": row[1], "qty": row[2], "price_unit": row[3], "discount": row[4],
                "refunded_orderline_id": row[5], "uuid": row[6], "order_uuid": row[7],
            }
            for row in self.env.cr.fetchall()
        }

    @api.model
    def _retail_parse_approvals(self, order):
        payload = order.get("retail_approval_payload")
        if not payload:
            return []
        try:
            approvals = json.loads(payload) if isinstance(payload, str) else payload
        except ValueError:
            approvals = None
        if not isinstance(approvals, list) or not all(isinstance(a, dict) for a in approvals):
            raise UserError(self.env._(
                "The approvals of order %(order)s are unreadable; the order was not saved.",
                order=order.get("name") or order.get("uuid"),
            ))
        return approvals

    @api.model
    def _retail_check_orders(self, orders):
        """Verify pricelists, prices, discounts, taxes, returns, lots and approvals of ``orders``.

        Raises ``UserError`` before anything is written when one line breaks its store's
        policy without a genuine approval. Returns the approvals to record and the uuids of the
        orders whose amounts are checked once written. Query count does not depend on the
        number of lines.
        """
        orders = [order for order in orders if isinstance(order, dict)]
        uuids = [order.get("uuid") for order in orders if order.get("uuid")]
        known = self._retail_known_records(orders, uuids)
        pending = [order for order in orders if order.get("uuid") not in known["done"]]
        if not pending:
            return {"approvals": [], "uuids": []}

        Config = self.env["pos.config"].sudo()
        config_by_session = {
            session_id: Config.browse(till["config_id"]) for session_id, till in known["sessions"].items()
        }
        to_check = []
        for order in pending:
            till = known["sessions"].get(order.get("session_id"))
            if till and till["enforced"]:
                config = config_by_session[order["session_id"]]
                self._retail_check_order_header(order, config, till)
                to_check.append((order, self._retail_parse_approvals(order)))
        if not to_check:
            return {"approvals": [], "uuids": []}

        stored_lines = self._retail_stored_lines([order for order, _a in to_check])
        line_vals_by_uuid = {order.get("uuid"): self._retail_line_vals(order, stored_lines) for order, _a in to_check}
        all_lines = [vals for lines in line_vals_by_uuid.values() for vals in lines]

        # products of the payload were looked up with the sessions; those of updated lines are
        # the stored lines' own, which exist
        existing_products = known["products"] | {stored["product_id"] for stored in stored_lines.values()}
        products = self.env["product.product"].sudo().with_context(active_test=False).browse(
            {vals.get("product_id") for vals in all_lines if vals.get("product_id") in existing_products}
        )
        product_by_id = {product.id: product for product in products}
        expected_prices, combos, shares = self._retail_expected_prices(
            to_check, line_vals_by_uuid, config_by_session, known["ruled_pricelists"])
        # The id alone: env.ref would check that the record exists, one more query per call.
        default_tip_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "point_of_sale.product_product_tip", raise_if_not_found=False,
        )
        expired_lots = self._retail_expired_lots(to_check, line_vals_by_uuid)
        refunded = self._retail_refunded_lines(all_lines, uuids)
        Approval = self.env["retail.pos.approval"]
        secret = Approval._retail_token_secret() if any(approvals for _order, approvals in to_check) else ""
        unverified_employees = Approval._retail_offline_approvers(to_check)

        recorded = []
        messages = []
        # Returns of one receipt sent in one call count together, whichever order carries them.
        refunded_in_batch = defaultdict(float)
        for order, approvals in to_check:
            config = config_by_session[order.get("session_id")]
            order_uuid = order.get("uuid")
            verified, unverified = Approval._retail_sort_approvals(
                secret, config, order_uuid, approvals, order.get("employee_id"), unverified_employees,
                order_name=order.get("name") or order_uuid,
            )
            lines = []
            tip_products = {default_tip_id, config.tip_product_id.id} - {False, None}
            # pos_discount (when installed) gives its global discount as a line of this product.
            order_discount_product = (
                config.discount_product_id.id if "discount_product_id" in config._fields else None
            )
            for vals in line_vals_by_uuid[order_uuid]:
                product = product_by_id.get(vals.get("product_id"))
                if product is None:
                    raise UserError(self.env._(
                        "Order %(order)s sells a product that does not exist; the order was not saved.",
                        order=order.get("name") or order_uuid,
                    ))
                line = {
                    "uuid": vals.get("uuid") or "",
                    "product": product.display_name,
                    "qty": self._retail_number(vals.get("qty"), order),
                    "price_unit": self._retail_number(vals.get("price_unit"), order),
                    "discount": self._retail_number(vals.get("discount"), order),
                    "expected_price": expected_prices.get(id(vals)),
                    "expired_lots": expired_lots.get(id(vals), []),
                    "refund": None,
                    "combo": combos.get(id(vals)),
                    "combo_share": id(vals) in shares,
                    "order_discount_line": bool(order_discount_product)
                    and vals.get("product_id") == order_discount_product,
                    "price_tolerance": shares.get(id(vals), policy_tools.PRICE_TOLERANCE),
                    "tip": {
                        "enabled": config.iface_tipproduct,
                        "tip_product": vals.get("product_id") == config.tip_product_id.id,
                    } if vals.get("product_id") in tip_products else None,
                }
                original_id = vals.get("refunded_orderline_id")
                if original_id:
                    line["refund"] = self._retail_refund_of(
                        order, config, product, line, refunded.get(original_id), refunded_in_batch[original_id],
                    )
                    refunded_in_batch[original_id] += -line["qty"]
                lines.append(line)
            violations = policy_tools.find_violations(config._retail_policy(), lines, verified + unverified)
            for violation in violations:
                messages.append(self._retail_violation_message(order, violation))
            recorded.extend(
                {**approval, "order_uuid": order_uuid, "store_id": config.warehouse_id.id}
                for approval in verified + unverified
            )
        if messages:
            extra = len(messages) - MAX_REPORTED_VIOLATIONS
            text = "\n".join(messages[:MAX_REPORTED_VIOLATIONS])
            if extra > 0:
                text += "\n" + self.env._("… and %(count)s more.", count=extra)
            raise UserError(
                self.env._("The order breaks the store policy and was not saved:") + "\n" + text
            )
        return {"approvals": recorded, "uuids": [order.get("uuid") for order, _a in to_check]}

    @api.model
    def _retail_number(self, value, order):
        if value in (None, False, ""):
            return 0.0
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        if number is None or number != number or number in (float("inf"), float("-inf")):
            raise UserError(self.env._(
                "Order %(order)s carries a quantity, price or discount that is not a number; the "
                "order was not saved.", order=order.get("name") or order.get("uuid"),
            ))
        return number

    @api.model
    def _retail_known_records(self, orders, uuids):
        """What the checks look up before they start, in one query for the whole batch: the
        orders already recorded (not drafts), the sessions that exist with their till, whether
        the till is held to the retail checks (``pos.config._retail_enforced``) and the price
        lists and fiscal positions it offers, which products of the lines exist, and which of
        the price lists the orders may use have rules at all (``ruled_pricelists``: a price list
        without any is the products' own prices, and its rules need not be searched)."""
        session_ids = list({order.get("session_id") for order in orders if _is_id(order.get("session_id"))})
        product_ids = list({
            command[2].get("product_id") for order in orders for command in order.get("lines") or []
            if isinstance(command, (list, tuple)) and len(command) == 3 and isinstance(command[2], dict)
            and _is_id(command[2].get("product_id"))
        })
        pricelist_ids = list({order.get("pricelist_id") for order in orders if _is_id(order.get("pricelist_id"))})
        known = {"done": set(), "sessions": {}, "products": set(), "ruled_pricelists": set()}
        if not (uuids or session_ids or product_ids):
            return known
        self.env.flush_all()  # the query reads the tills, price lists and orders as they are now
        config_fields = self.env["pos.config"]._fields
        pricelists = config_fields["available_pricelist_ids"]
        positions = config_fields["fiscal_position_ids"]
        self.env.cr.execute(SQL(
            """
            SELECT 'done', NULL::int, uuid::text, NULL::int, NULL::int[], NULL::int[]
              FROM pos_order WHERE uuid = ANY(%(uuids)s) AND state != 'draft'
            UNION ALL
            SELECT 'session', session.id, store.retail_store_type::text, config.id,
                   ARRAY(SELECT rel.%(pl_to)s FROM %(pl_rel)s rel
                           JOIN product_pricelist pricelist ON pricelist.id = rel.%(pl_to)s AND pricelist.active
                          WHERE rel.%(pl_from)s = config.id) || config.pricelist_id,
                   ARRAY(SELECT rel.%(fp_to)s FROM %(fp_rel)s rel
                           JOIN account_fiscal_position position ON position.id = rel.%(fp_to)s AND position.active
                          WHERE rel.%(fp_from)s = config.id) || config.default_fiscal_position_id
              FROM pos_session session
              JOIN pos_config config ON config.id = session.config_id
              LEFT JOIN stock_warehouse store ON store.id = config.warehouse_id
             WHERE session.id = ANY(%(sessions)s)
            UNION ALL
            SELECT 'product', id, NULL, NULL, NULL, NULL FROM product_product WHERE id = ANY(%(products)s)
            UNION ALL
            SELECT DISTINCT 'ruled', pricelist_id, NULL::text, NULL::int, NULL::int[], NULL::int[]
              FROM product_pricelist_item
             WHERE pricelist_id = ANY(%(pricelists)s) OR pricelist_id IN (
                   SELECT config.pricelist_id FROM pos_session session
                     JOIN pos_config config ON config.id = session.config_id
                    WHERE session.id = ANY(%(sessions)s))
            """,
            uuids=uuids, sessions=session_ids, products=product_ids, pricelists=pricelist_ids,
            pl_rel=SQL.identifier(pricelists.relation), pl_from=SQL.identifier(pricelists.column1),
            pl_to=SQL.identifier(pricelists.column2), fp_rel=SQL.identifier(positions.relation),
            fp_from=SQL.identifier(positions.column1), fp_to=SQL.identifier(positions.column2),
        ))
        for kind, record_id, text, config_id, pricelist_ids, position_ids in self.env.cr.fetchall():
            if kind == "done":
                known["done"].add(text)
            elif kind == "session":
                known["sessions"][record_id] = {
                    "config_id": config_id, "enforced": text == ENFORCED_STORE_TYPE,
                    "pricelist_ids": set(pricelist_ids) - {None}, "position_ids": set(position_ids) - {None},
                }
            elif kind == "product":
                known["products"].add(record_id)
            else:
                known["ruled_pricelists"].add(record_id)
        return known

    @api.model
    def _retail_check_order_header(self, order, config, till=None):
        """The pricelist and fiscal position must be ones the till offers, the session open.
        ``till``: what :meth:`_retail_known_records` read of the till, else it is read here."""
        name = order.get("name") or order.get("uuid")
        pricelist_id = order.get("pricelist_id") or False
        offered = till["pricelist_ids"] if till else set((config.available_pricelist_ids | config.pricelist_id).ids)
        if pricelist_id and pricelist_id not in offered:
            raise UserError(self.env._(
                "Order %(order)s uses a price list that the till %(till)s does not offer; the order "
                "was not saved.", order=name, till=config.display_name,
            ))
        position_id = order.get("fiscal_position_id") or False
        positions = till["position_ids"] if till else set(
            (config.fiscal_position_ids | config.default_fiscal_position_id).ids)
        if position_id and position_id not in positions:
            raise UserError(self.env._(
                "Order %(order)s uses a fiscal position that the till %(till)s does not offer; the "
                "order was not saved.", order=name, till=config.display_name,
            ))

    @api.model
    def _retail_refund_of(self, order, config, product, line, original, refunded_in_batch):
        """What a return line returns, for the policy check; raises when it is no return."""
        name = order.get("name") or order.get("uuid")
        if original is None:
            raise UserError(self.env._(
                "Order %(order)s returns a line of a receipt that does not exist.", order=name,
            ))
        if original["product_id"] != product.id:
            raise UserError(self.env._(
                "Order %(order)s returns %(product)s against a receipt line of another product.",
                order=name, product=product.display_name,
            ))
        if original["state"] not in ("paid", "done", "invoiced") or original["company_id"] != config.company_id.id:
            raise UserError(self.env._(
                "Order %(order)s returns %(product)s against a receipt that is not a paid sale of "
                "this company.", order=name, product=product.display_name,
            ))
        if line["qty"] >= 0:
            raise UserError(self.env._(
                "Order %(order)s: a return of %(product)s must have a negative quantity.",
                order=name, product=product.display_name,
            ))
        return {**original, "refunded_qty": original["refunded_qty"] + refunded_in_batch}

    @api.model
    def _retail_check_amounts(self, uuids, synchronised=None):
        """Line subtotals are the server's; the order's total must be the server's too.

        Core keeps the subtotals and the total the till sends (the Odoo 19 till even sends the
        unit price as ``price_subtotal``). A till that sends a total of 1.00 for goods of 40.00,
        paid 1.00, would record a paid sale of 1.00: every line's subtotals are rewritten from its
        price, quantity, discount and taxes (core's own line computation), and the total is
        refused when it is not the sum of the lines. Runs once the order is written (the whole call
        is undone on refusal); combo products' lines keep core's sum of their combo lines.
        ``synchronised``: what core's ``sync_from_ui`` answered, whose orders are those written.
        """
        if not uuids:
            return
        Order = self.sudo().with_context(**{RECORDING_KEY: RECORDING})
        answered = synchronised.get("pos.order") if isinstance(synchronised, dict) else None
        ids_by_uuid = {
            data.get("uuid"): data.get("id") for data in answered or [] if isinstance(data, dict)
        }
        if all(_is_id(ids_by_uuid.get(uuid)) for uuid in uuids):
            orders = Order.browse(dict.fromkeys(ids_by_uuid[uuid] for uuid in uuids)).filtered(
                lambda order: order.state != "cancel")
        else:
            orders = Order.search([("uuid", "in", uuids), ("state", "!=", "cancel")])
        if not orders:
            return
        messages = []
        for order in orders:
            computed_lines = []
            for line in order.lines:
                if line.combo_line_ids:
                    continue
                computed = line._compute_amount_line_all()
                computed_lines.append(computed["price_subtotal_incl"])
                if order.currency_id.compare_amounts(computed["price_subtotal"], line.price_subtotal) or \
                        order.currency_id.compare_amounts(computed["price_subtotal_incl"], line.price_subtotal_incl):
                    line.write(computed)
            step = order.currency_id.rounding
            if order.config_id.cash_rounding and order.config_id.rounding_method:
                # The till may round the total to the cash step (e.g. 0.10).
                step = max(step, order.config_id.rounding_method.rounding)
            mismatch = policy_tools.total_mismatch(computed_lines, order.amount_total, step)
            if mismatch:
                messages.append(self._retail_amount_message(order, mismatch))
        if messages:
            raise UserError(
                self.env._("The order's amounts do not add up and it was not saved:") + "\n"
                + "\n".join(messages[:MAX_REPORTED_VIOLATIONS])
            )

    def _retail_amount_message(self, order, mismatch):
        return self.env._(
            "Order %(order)s: the till sent a total of %(sent).2f, the server computes %(computed).2f.",
            order=order.name, sent=mismatch["sent"], computed=mismatch["computed"],
        )

    @api.model
    def _retail_expected_prices(self, to_check, line_vals_by_uuid, config_by_session, ruled_pricelists=None):
        """Lowest genuine unit price of every price-checked line, keyed by ``id(line_vals)``.

        Also returns the combos sold, keyed by ``id(vals)`` of the combo product's line (total
        sold, lowest genuine total, rounding tolerance and the uuids of its lines, see
        ``policy.combo_expectations``), and the rounding tolerance of each combo line priced by
        its share. Lines exempt from the check: returns (checked against the receipt), core's
        special products and the till's tip product, and reward lines of pos_loyalty that lower
        the order (their amount follows the loyalty programme). Rules and combos are fetched once
        per pricelist and order date; prices are then computed in Python, so the query count does
        not grow with the lines.
        """
        groups = defaultdict(list)
        for order, _approvals in to_check:
            config = config_by_session.get(order.get("session_id"))
            if not config or config.retail_price_override_allowed:
                continue
            pricelist_id = order.get("pricelist_id") or config.pricelist_id.id
            date = order.get("date_order") or fields.Datetime.now()
            groups[pricelist_id, str(date), config.id].append(order)
        if not groups:
            return {}, {}, {}
        Product = self.env["product.product"].sudo().with_context(active_test=False)
        Pricelist = self.env["product.pricelist"].sudo()
        configs = self.env["pos.config"].sudo().browse({key[2] for key in groups})
        exempt = {config.id: set(config._retail_price_exempt_products().ids) for config in configs}
        reward_field = "is_reward_line" in self.env["pos.order.line"]._fields
        checked_orders = [order for orders in groups.values() for order in orders]
        combo_parents = self._retail_combo_parents(checked_orders, line_vals_by_uuid)
        # A line saved earlier (a draft synchronised before) may have combo lines that are not
        # sent again: only a combo created in this payload has all its lines here.
        updated = {
            id(command[2]) for order in checked_orders for command in order.get("lines") or []
            if isinstance(command, (list, tuple)) and len(command) == 3 and command[0] == 1
        }
        expected = {}
        combos = {}
        shares = {}
        for (pricelist_id, date, config_id), orders in groups.items():
            lines = [
                vals for order in orders for vals in line_vals_by_uuid[order.get("uuid")]
                if vals.get("product_id") and not vals.get("refunded_orderline_id")
                and float(vals.get("qty") or 0.0) > 0
                and vals["product_id"] not in exempt[config_id]
                and not (reward_field and vals.get("is_reward_line") and self._retail_line_total(vals) <= 0)
            ]
            parents = {id(combo_parents[id(vals)][0]): combo_parents[id(vals)][0]
                       for vals in lines if id(vals) in combo_parents}
            product_ids = {vals["product_id"] for vals in lines}
            product_ids.update(parent["product_id"] for parent in parents.values() if parent.get("product_id"))
            if not product_ids:
                continue
            products = Product.browse(product_ids)
            product_by_id = {product.id: product for product in products}
            date_value = fields.Datetime.to_datetime(date)
            pricelist = Pricelist.browse(pricelist_id)
            if pricelist and (ruled_pricelists is None or pricelist.id in ruled_pricelists):
                rules = pricelist._get_applicable_rules(products, date_value)
            else:
                rules = self.env["product.pricelist.item"]
            currency = pricelist.currency_id or self.env.company.currency_id
            # What core's _compute_price gives a product no rule applies to (its list price with
            # its attributes' extras, in the price list's currency), for all the products at once.
            # (no currency asked: the date and company only spare it looking them up)
            list_prices = products._price_compute("list_price", company=self.env.company, date=date_value.date())

            def price_of(product, quantity, rules=rules, date_value=date_value, currency=currency,
                         list_prices=list_prices):
                rule = next(
                    (r for r in rules if r._is_applicable_for(product, quantity)),
                    self.env["product.pricelist.item"],
                )
                if rule or product.id not in list_prices:
                    return rule._compute_price(product, quantity, product.uom_id, date_value, currency=currency)
                if product.currency_id == currency:
                    return list_prices[product.id]
                return product.currency_id._convert(
                    list_prices[product.id], currency, self.env.company, date_value, round=False)

            self._retail_prefetch_extras(lines, products)
            children_by_parent = defaultdict(list)
            for vals in lines:
                product = product_by_id[vals["product_id"]]
                if product.type == "combo":
                    if id(vals) not in parents:
                        parents[id(vals)] = vals
                        children_by_parent[id(vals)] = []
                    continue
                price = price_of(product, float(vals.get("qty") or 1.0)) + self._retail_attribute_extra(vals, product)
                expected[id(vals)] = price
                if id(vals) in combo_parents:
                    children_by_parent[id(combo_parents[id(vals)][0])].append(vals)
            if not children_by_parent:
                continue
            items = self.env["product.combo.item"].sudo().browse(
                {vals["combo_item_id"] for children in children_by_parent.values() for vals in children}
            ).exists()
            item_by_id = {item.id: item for item in items}
            products.combo_ids.mapped("base_price")  # computed once for all combos
            for parent_key, children in children_by_parent.items():
                parent = parents[parent_key]
                complete = parent_key not in updated and (not children or combo_parents[id(children[0])][1])
                product = product_by_id.get(parent.get("product_id"))
                if product and product.type == "combo":
                    self._retail_price_combo(
                        parent, children, product, item_by_id, price_of, expected, shares,
                        combos if complete else None,
                    )
        return expected, combos, shares

    @api.model
    def _retail_prefetch_extras(self, lines, products):
        """Read the attribute extras of all lines at once rather than line by line."""
        attribute_ids = {
            value_id for vals in lines for value_id in self._retail_command_ids(vals.get("attribute_value_ids"))
        }
        if attribute_ids:
            self.env["product.template.attribute.value"].sudo().browse(attribute_ids).fetch(["price_extra"])
            products.fetch(["product_template_attribute_value_ids"])

    @api.model
    def _retail_line_total(self, vals):
        return float(vals.get("qty") or 0.0) * float(vals.get("price_unit") or 0.0)

    @api.model
    def _retail_attribute_extra(self, vals, product):
        extra_ids = self._retail_command_ids(vals.get("attribute_value_ids"))
        if not extra_ids:
            return 0.0
        extras = self.env["product.template.attribute.value"].sudo().browse(extra_ids)
        return sum((extras - product.product_template_attribute_value_ids).mapped("price_extra"))

    @api.model
    def _retail_combo_parents(self, orders, line_vals_by_uuid):
        """The combo product's line of every combo line, keyed by ``id(line_vals)``.

        Values are ``(parent vals, in_payload)``. The till links a new combo line to its parent
        through the order's ``relations_uuid_mapping``, an already saved one by
        ``combo_parent_id``; a parent that is not in the payload is read in one query for all.
        """
        result = {}
        missing = defaultdict(list)
        for order in orders:
            lines = line_vals_by_uuid[order.get("uuid")]
            by_uuid = {vals.get("uuid"): vals for vals in lines if vals.get("uuid")}
            by_id = {
                command[1]: command[2] for command in order.get("lines") or []
                if isinstance(command, (list, tuple)) and len(command) == 3 and command[0] == 1
                and isinstance(command[2], dict)
            }
            mapping = (order.get("relations_uuid_mapping") or {}).get("pos.order.line") or {}
            for vals in lines:
                if not vals.get("combo_item_id"):
                    continue
                link = mapping.get(vals.get("uuid")) if isinstance(mapping, dict) else None
                parent_uuid = link.get("combo_parent_id") if isinstance(link, dict) else None
                parent_id = vals.get("combo_parent_id")
                if parent_uuid in by_uuid:
                    result[id(vals)] = (by_uuid[parent_uuid], True)
                elif isinstance(parent_id, int) and parent_id in by_id:
                    result[id(vals)] = (by_id[parent_id], True)
                elif isinstance(parent_id, int):
                    missing[parent_id].append(vals)
        if missing:
            self.env.cr.execute(
                "SELECT id, product_id, qty FROM pos_order_line WHERE id = ANY(%s)", [list(missing)],
            )
            for line_id, product_id, qty in self.env.cr.fetchall():
                parent = {"product_id": product_id, "qty": qty}
                for vals in missing[line_id]:
                    result[id(vals)] = (parent, False)
        return result

    @api.model
    def _retail_price_combo(self, parent, children, product, item_by_id, price_of, expected, shares, combos):
        """Replace the price list price of each combo line by its lowest genuine share.

        A line whose item is not a choice of the combo product keeps its own price list price.
        ``combos`` is ``None`` when the combo product's line was saved before (it is not in the
        payload, or updated): its other lines may be missing, so only each line's share is
        checked, not the total.
        """
        parent_qty = float(parent.get("qty") or 0.0)
        if parent_qty <= 0:
            return
        product_combos = product.combo_ids
        plain_children = [
            {
                "uuid": id(vals),
                "combo_id": item_by_id[vals["combo_item_id"]].combo_id.id,
                "qty": float(vals.get("qty") or 0.0),
                "extra": item_by_id[vals["combo_item_id"]].extra_price
                + self._retail_attribute_extra(vals, item_by_id[vals["combo_item_id"]].product_id),
            }
            for vals in children
            if vals["combo_item_id"] in item_by_id
            and item_by_id[vals["combo_item_id"]].combo_id in product_combos
            and item_by_id[vals["combo_item_id"]].product_id.id == vals["product_id"]
        ]
        lowest, lowest_total, tolerance = policy_tools.combo_expectations(
            price_of(product, 1.0),
            parent_qty,
            plain_children,
            {combo.id: {"base_price": combo.base_price, "qty_free": combo.qty_free} for combo in product_combos},
        )
        for vals in children:
            if id(vals) in lowest:
                expected[id(vals)] = lowest[id(vals)]
                shares[id(vals)] = tolerance
        if combos is not None:
            combos[id(parent)] = {
                "total": parent_qty * float(parent.get("price_unit") or 0.0)
                + sum(self._retail_line_total(vals) for vals in children),
                "expected": lowest_total,
                "tolerance": tolerance,
                "children": [vals.get("uuid") or "" for vals in children],
            }

    @api.model
    def _retail_command_ids(self, commands):
        ids = []
        for command in commands or []:
            if isinstance(command, int):
                ids.append(command)
            elif isinstance(command, (list, tuple)) and command:
                if command[0] == 6 and len(command) == 3:
                    ids.extend(command[2])
                elif command[0] == 4 and len(command) >= 2:
                    ids.append(command[1])
        return ids

    @api.model
    def _retail_expired_lots(self, to_check, line_vals_by_uuid):
        """Expired lots sold on each line, keyed by ``id(line_vals)``: one query for all."""
        wanted = []
        for order, _approvals in to_check:
            date = fields.Datetime.to_datetime(order.get("date_order")) or fields.Datetime.now()
            for vals in line_vals_by_uuid[order.get("uuid")]:
                if float(vals.get("qty") or 0.0) <= 0:
                    continue
                for command in vals.get("pack_lot_ids") or []:
                    if isinstance(command, (list, tuple)) and len(command) == 3 and isinstance(command[2], dict):
                        lot_name = command[2].get("lot_name")
                        if lot_name:
                            wanted.append((vals, lot_name, date))
        if not wanted:
            return {}
        lots = self.env["stock.lot"].sudo().search_read(
            [
                ("name", "in", list({name for _v, name, _d in wanted})),
                ("product_id", "in", list({vals.get("product_id") for vals, _n, _d in wanted})),
                ("expiration_date", "!=", False),
            ],
            ["name", "product_id", "expiration_date"],
            load=False,
        )
        expiry = {(lot["product_id"], lot["name"]): lot["expiration_date"] for lot in lots}
        result = defaultdict(list)
        for vals, lot_name, date in wanted:
            expiration = expiry.get((vals.get("product_id"), lot_name))
            if expiration and expiration < date:
                result[id(vals)].append(lot_name)
        return result

    @api.model
    def _retail_refunded_lines(self, all_lines, batch_uuids):
        """Product, sold quantity, price, state and earlier returns of the receipt lines returned."""
        original_ids = list({
            vals["refunded_orderline_id"] for vals in all_lines
            if _is_id(vals.get("refunded_orderline_id"))
        })
        if not original_ids:
            return {}
        self.env.cr.execute(
            """
            SELECT line.id, line.product_id, line.qty, line.price_unit, line.discount,
                   pos_order.state, pos_order.company_id,
                   COALESCE((
                       SELECT SUM(-refund.qty)
                         FROM pos_order_line refund
                         JOIN pos_order refund_order ON refund_order.id = refund.order_id
                        WHERE refund.refunded_orderline_id = line.id
                          AND refund_order.state != 'cancel'
                          AND refund_order.uuid != ALL(%s)
                   ), 0)
              FROM pos_order_line line
              JOIN pos_order ON pos_order.id = line.order_id
             WHERE line.id = ANY(%s)
            """,
            [batch_uuids or [""], original_ids],
        )
        return {
            line_id: {
                "product_id": product_id, "sold_qty": qty, "price_unit": price, "discount": discount or 0.0,
                "state": state, "company_id": company_id, "refunded_qty": done,
            }
            for line_id, product_id, qty, price, discount, state, company_id, done in self.env.cr.fetchall()
        }

    def _retail_violation_message(self, order, violation):
        line = violation.get("line") or {}
        params = {
            "order": order.get("name") or order.get("uuid"),
            "product": line.get("product") or "",
            "value": violation["value"],
            "limit": violation["limit"],
        }
        kind = violation["kind"]
        if kind == policy_tools.ACTION_PRICE and line.get("combo_share"):
            return self.env._(
                "%(product)s: unit price %(value).2f in a combo is below its share of the combo's "
                "price, %(limit).2f, without a manager's approval.", **params)
        if kind == policy_tools.ACTION_PRICE:
            return self.env._(
                "%(product)s: unit price %(value).2f is below the price list price %(limit).2f "
                "without a manager's approval.", **params)
        if kind == policy_tools.ACTION_DISCOUNT:
            return self.env._(
                "%(product)s: discount %(value)s%% is above the store limit of %(limit)s%% "
                "without a manager's approval.", **params)
        if kind == policy_tools.ACTION_ORDER_DISCOUNT:
            return self.env._(
                "Order %(order)s: total discount %(value).2f%% is above the store limit of "
                "%(limit)s%% without a manager's approval.", **params)
        if kind == policy_tools.ACTION_EXPIRED_LOT:
            return self.env._(
                "%(product)s: lot %(value)s is past its expiration date and was sold without a "
                "manager's approval.", **params)
        if kind == policy_tools.ACTION_RETURN:
            return self.env._(
                "%(product)s: return of %(value).2f without a receipt needs a manager's approval.",
                **params)
        if kind == policy_tools.KIND_REFUND_QTY:
            return self.env._(
                "%(product)s: %(value)s returned but only %(limit)s left to return on the receipt.",
                **params)
        if kind == policy_tools.KIND_REFUND_PRICE:
            return self.env._(
                "%(product)s: refunded at %(value).2f per unit, more than the %(limit).2f paid.",
                **params)
        if kind == policy_tools.KIND_COMBO_TOTAL:
            return self.env._(
                "%(product)s: the combo's lines add up to %(value).2f, below the combo's price of "
                "%(limit).2f with the chosen extras.", **params)
        if kind == policy_tools.KIND_TIP_DISABLED:
            return self.env._(
                "%(product)s: a tip of %(value).2f was added but tips are not enabled on this till.",
                **params)
        if kind == policy_tools.KIND_TIP_PRODUCT:
            return self.env._(
                "%(product)s: a tip of %(value).2f was added with a product that is not this till's "
                "tip product.", **params)
        if kind == policy_tools.KIND_TIP_NEGATIVE:
            return self.env._(
                "%(product)s: a tip cannot be negative (%(value).2f).", **params)
        return self.env._("%(product)s: breaks the store policy.", **params)

    @api.model
    def _retail_record_approvals(self, approvals):
        """Record the approvals of the orders just written; an approval counts once."""
        order_uuids = list({approval["order_uuid"] for approval in approvals})
        line_uuids = list({approval["line_uuid"] for approval in approvals if approval["line_uuid"]})
        orders = self.sudo().search_read(
            [("uuid", "in", order_uuids)], ["uuid", "session_id", "user_id", "employee_id"], load=False,
        )
        order_data = {order["uuid"]: order for order in orders}
        line_ids = {}
        if line_uuids:
            lines = self.env["pos.order.line"].sudo().search_read([("uuid", "in", line_uuids)], ["uuid"])
            line_ids = {line["uuid"]: line["id"] for line in lines}
        known = self.env["retail.pos.approval"]._retail_known_credentials(
            [approval["credential"] for approval in approvals]
        )
        vals_list = []
        for approval in approvals:
            order = order_data.get(approval["order_uuid"])
            if approval["credential"] in known or not order:
                continue
            known.add(approval["credential"])
            vals_list.append({
                "order_id": order["id"],
                "session_id": order["session_id"],
                "cashier_user_id": order["user_id"],
                "cashier_employee_id": order["employee_id"],
                "order_line_id": line_ids.get(approval["line_uuid"], False),
                "line_uuid": approval["line_uuid"],
                "retail_store_id": approval["store_id"],
                "action": approval["action"],
                "approver_employee_id": approval["employee_id"] or False,
                "original_value": approval["original_value"],
                "new_value": approval["new_value"],
                "approved_at": approval["approved_at"],
                "credential": approval["credential"],
                "state": approval["state"],
                "unverified_reason": approval.get("unverified_reason") or False,
            })
        if vals_list:
            self.env["retail.pos.approval"].sudo().create(vals_list)
