from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare

from ..tools import points as points_tools


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


class PosOrder(models.Model):
    _inherit = "pos.order"

    retail_points_redeemed = fields.Integer(
        string="Points Redeemed", copy=False,
        help="Points the member chose to spend on this order. Checked against the balance and "
        "the redemption line on the server.",
    )
    retail_points_earned = fields.Integer(string="Points Earned", copy=False, readonly=True)
    retail_points_move_ids = fields.One2many("retail.points.move", "order_id", string="Points Movements")

    # ------------------------------------------------------------------
    # Order sync
    # ------------------------------------------------------------------
    @api.model
    def sync_from_ui(self, orders):
        self._retail_check_hidden_members(orders)
        self._retail_check_orders_data([order for order in orders if order.get("state") != "draft"])
        return super().sync_from_ui(orders)

    @api.model
    def _retail_check_orders_data(self, orders):
        """Check a batch of orders with the same few queries, whatever its size."""
        if not orders:
            return
        uuids = [order["uuid"] for order in orders if isinstance(order.get("uuid"), str) and order["uuid"]]
        models_by_key = {"partner_id": self.env["res.partner"].sudo(), "session_id": self.env["pos.session"],
                         "pricelist_id": self.env["product.pricelist"]}
        ids = {key: list({order[key] for order in orders if _is_id(order.get(key))}) for key in models_by_key}
        # one query for the orders already saved (the uuid is unique: whoever's they are) and for
        # which customers, sessions and price lists named by the orders exist
        self.flush_model(["uuid", "state"])
        self.env.cr.execute(SQL(
            """
            SELECT 'saved', NULL::int, uuid::text, state::text FROM pos_order WHERE uuid = ANY(%(uuids)s)
            UNION ALL SELECT 'partner_id', id, NULL, NULL FROM res_partner WHERE id = ANY(%(partner_id)s)
            UNION ALL SELECT 'session_id', id, NULL, NULL FROM pos_session WHERE id = ANY(%(session_id)s)
            UNION ALL SELECT 'pricelist_id', id, NULL, NULL FROM product_pricelist WHERE id = ANY(%(pricelist_id)s)
            """, uuids=uuids, **ids,
        ))
        saved = {}
        existing = {key: [] for key in models_by_key}
        for kind, record_id, uuid, state in self.env.cr.fetchall():
            if kind == "saved":
                saved[uuid] = state
            else:
                existing[kind].append(record_id)
        context = {"saved": saved, "tier_pricelists": self._retail_tier_pricelists(),
                   "redemption_product": self._retail_redemption_product()}
        for key, model in models_by_key.items():
            context[key] = ({record.id: record for record in model.browse(existing[key])}, model)
        for order in orders:
            self._retail_check_order_data(order, context)

    @api.model
    def _retail_check_hidden_members(self, orders):
        """A member of another store, hidden from the user by the store wall, may be the customer of
        an order only if the user found them at the till (by card, member number or mobile) first:
        the order's customer is the till's choice, and the sync must not become a way around the
        wall or to spend any member's points."""
        partner_ids = {
            order["partner_id"] for order in orders
            if isinstance(order.get("partner_id"), int) and not isinstance(order["partner_id"], bool)
        }
        Partner = self.env["res.partner"]
        partners = Partner.sudo().browse(partner_ids).exists()
        hidden = partners.filtered("retail_is_member") - partners.with_env(self.env)._filtered_access("read").sudo()
        if not hidden:
            return
        granted = self.env["retail.member.lookup"]._retail_granted_partner_ids(hidden.ids)
        for order in orders:
            if order.get("partner_id") in hidden.ids and order.get("partner_id") not in granted:
                existing = self.search([("uuid", "=", order.get("uuid"))], limit=1) if order.get("uuid") else self
                # an order already theirs, or the refund of one, needs no new lookup
                known = existing | self._get_refunded_orders(order)
                if order["partner_id"] in known.partner_id.ids:
                    continue
                raise AccessError(self.env._(
                    "Order %(order)s: its customer is a member of another store. Find the member at the till "
                    "with their card, member number or mobile number first.",
                    order=order.get("pos_reference") or order.get("name") or order.get("uuid")))

    @api.model
    def _retail_check_order_data(self, order, context):
        """Refuse, before anything is written, what the till may not do for a member.

        ``context``: what :meth:`_retail_check_orders_data` read once for the whole batch."""
        if context["saved"].get(order.get("uuid"), "draft") != "draft":
            return

        def read(key):
            records, empty = context[key]
            return records.get(order.get(key), empty) if _is_id(order.get(key)) else empty

        partner = read("partner_id")
        session = read("session_id")
        company = session.company_id or self.env.company
        name = order.get("pos_reference") or order.get("name") or order.get("uuid")
        line_vals = [line[2] for line in order.get("lines") or [] if line[0] in (0, 1) and isinstance(line[2], dict)]
        product = context["redemption_product"]
        redemption = [vals for vals in line_vals if product and vals.get("product_id") == product.id]
        points = order.get("retail_points_redeemed") or 0
        refunding = any(vals.get("refunded_orderline_id") for vals in line_vals)
        self._retail_check_redemption(name, partner, company, points, redemption and sum(
            vals.get("price_subtotal_incl") or 0.0 for vals in redemption), bool(redemption), refunding)
        pricelist = read("pricelist_id")
        self._retail_check_pricelist(name, partner, pricelist, context["tier_pricelists"])

    @api.model
    def _retail_check_redemption(self, name, partner, company, points, given, has_lines, refunding):
        if points < 0:
            raise UserError(self.env._("Order %(order)s: redeemed points cannot be negative.", order=name))
        if (has_lines or points) and not partner.retail_is_member:
            raise UserError(self.env._("Order %(order)s redeems points but has no member.", order=name))
        if refunding:
            # a refund may only give back the points line of its order, which the ledger turns into points
            if points or (given or 0.0) < 0:
                raise UserError(self.env._(
                    "Order %(order)s is a refund: points cannot be redeemed on it.", order=name))
            return
        if points and float_compare(points, partner.retail_points_balance, 0) > 0:
            raise UserError(self.env._(
                "%(name)s has %(balance)s points; %(points)s cannot be redeemed.",
                name=partner.name, balance=int(partner.retail_points_balance), points=points))
        expected = -company.currency_id.round(points * company.retail_points_value)
        if company.currency_id.compare_amounts(expected, given or 0.0) != 0:
            raise UserError(self.env._(
                "Order %(order)s: %(points)s points are worth %(expected)s but the redemption line "
                "says %(given)s.", order=name, points=points, expected=-expected, given=-(given or 0.0)))

    @api.model
    def _retail_tier_pricelists(self):
        return self.env["product.pricelist"].browse(self.env["retail.member.tier"]._retail_member_pricelist_ids())

    @api.model
    def _retail_redemption_product(self):
        """The product of the points lines, by its id alone: its external id goes with it."""
        product_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "retail_members.product_points_redemption", raise_if_not_found=False)
        return self.env["product.product"].browse(product_id or ())

    @api.model
    def _retail_check_pricelist(self, name, partner, pricelist, tier_pricelists=None):
        if not pricelist:
            return
        if tier_pricelists is None:
            tier_pricelists = self._retail_tier_pricelists()
        if pricelist in tier_pricelists:
            allowed = partner.retail_tier_id.pricelist_id if partner.retail_is_member else self.env["product.pricelist"]
            if pricelist != allowed:
                raise UserError(self.env._(
                    "Order %(order)s uses the member pricelist %(pricelist)s, which %(name)s is not "
                    "entitled to.", order=name, pricelist=pricelist.name,
                    name=partner.name or self.env._("an anonymous customer")))

    def _process_saved_order(self, draft):
        if not draft and self.state != "cancel":
            self._retail_check_member_order()
        order_id = super()._process_saved_order(draft)
        if not draft and self.state in ("paid", "done", "invoiced"):
            self._retail_process_member_points()
        return order_id

    def _create_order_picking(self):
        if self._retail_has_hidden_member():
            # the customer is a member of another store, hidden from this store's staff by the store
            # wall; the sync checked that the user found them at the till. The picking reads the
            # customer's delivery location and address past the wall.
            return super(PosOrder, self.sudo())._create_order_picking()
        return super()._create_order_picking()

    def _retail_has_hidden_member(self):
        partner = self.partner_id
        return bool(partner) and partner.sudo().retail_is_member and not partner._filtered_access("read")

    def read_pos_data(self, data, config):
        # the till refreshes the members of the orders (their balance changed), whichever their store
        result = super().read_pos_data(data, config)
        members = self.sudo().partner_id.filtered("retail_is_member")
        if config and members:
            records = self.env["res.partner"]._retail_pos_member_records(members.with_env(self.env), config)
            result["res.partner"] = result.get("res.partner", []) + records["res.partner"]
        return result

    def _retail_redemption_lines(self):
        product = self._retail_redemption_product()
        return self.lines.filtered(lambda line: product and line.product_id == product)

    def _retail_check_member_order(self):
        """Re-check the saved order: the lines are now as the database holds them."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        name = self.pos_reference or self.name
        redemption_lines = self._retail_redemption_lines()
        # an order that redeems nothing has nothing to check against the ledger
        redeems = bool(redemption_lines) or bool(self.retail_points_redeemed)
        already = redeems and self.env["retail.points.move"].sudo().search_count(
            [("order_id", "=", self.id), ("move_type", "=", "redeem")])
        if redeems and not already:
            self._retail_check_redemption(
                name, partner, self.company_id, self.retail_points_redeemed or 0,
                sum(redemption_lines.mapped("price_subtotal_incl")), bool(redemption_lines),
                bool(self.refunded_order_id) or self.amount_total < 0)
        self._retail_check_pricelist(name, partner, self.pricelist_id)

    def _retail_process_member_points(self):
        """Earn, redeem or reverse points for a paid member order, computed from its lines."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        if not partner.retail_is_member:
            return
        Move = self.env["retail.points.move"].sudo()
        done = set(Move.search([("order_id", "=", self.id)]).mapped("move_type"))
        company = self.company_id
        store = self.config_id.warehouse_id
        vals_list = []
        if self.retail_points_redeemed and "redeem" not in done:
            Move._retail_consume_fifo(partner, self.retail_points_redeemed)
            vals_list.append(Move._retail_prepare_vals(
                partner, "redeem", -self.retail_points_redeemed, company, order=self, store=store))
        refunded = self.refunded_order_id
        if refunded:
            vals_list += self._retail_refund_points_vals(partner, refunded, done)
        elif "earn" not in done:
            earned = self._retail_points_to_earn(partner)
            if earned:
                vals_list.append(Move._retail_prepare_vals(partner, "earn", earned, company, order=self, store=store))
                self.retail_points_earned = earned
        if vals_list:
            Move._retail_post(vals_list)
        self._retail_add_spend(partner)
        if not refunded and self._retail_may_upgrade(partner):
            self.env["retail.member.tier"].sudo()._retail_evaluate(
                company=company, partner_ids=partner.ids, allow_downgrade=False)

    def _retail_refund_points_vals(self, partner, refunded, done):
        """Ledger moves of a refund of ``refunded``: it takes back the points the order earned, in
        proportion to the amount refunded, and gives back the points the order redeemed, in
        proportion to the points line refunded with the goods: the cash refunded is then what the
        member paid in cash, and points never come back on top of their value in cash. Earlier
        refunds of the same order count, so an order never gives back more than it took."""
        Move = self.env["retail.points.move"].sudo()
        company = self.company_id
        store = self.config_id.warehouse_id
        moves = Move.search([("order_id", "=", refunded.id), ("move_type", "in", ("earn", "redeem"))])
        earned = sum(moves.filtered(lambda move: move.move_type == "earn").mapped("points"))
        redeemed = -sum(moves.filtered(lambda move: move.move_type == "redeem").mapped("points"))
        if not earned and not redeemed:
            return []
        earlier = Move.search([
            ("order_id", "in", (refunded.lines.refund_orderline_ids.order_id - self).ids),
            ("move_type", "in", ("refund", "redeem_reversal")),
        ])
        vals_list = []
        if earned and "refund" not in done:
            taken = -sum(earlier.filtered(lambda move: move.move_type == "refund").mapped("points"))
            share = points_tools.refunded_share(self.amount_total, refunded.amount_total)
            points = min(round(earned * share), earned - taken)
            if points > 0:
                original = moves.filtered(lambda move: move.move_type == "earn")
                Move._retail_consume_fifo(partner, points, first=original)
                vals_list.append(Move._retail_prepare_vals(
                    partner, "refund", -points, company, order=self, store=store))
        if redeemed and "redeem_reversal" not in done:
            points = points_tools.points_returned(
                redeemed, -sum(moves.filtered(lambda move: move.move_type == "redeem").mapped("value")),
                sum(self._retail_redemption_lines().mapped("price_subtotal_incl")),
                sum(earlier.filtered(lambda move: move.move_type == "redeem_reversal").mapped("points")))
            if points > 0:
                vals_list.append(Move._retail_prepare_vals(
                    partner, "redeem_reversal", points, company, order=self, store=store,
                    note=self.env._("Points redeemed on %(order)s, returned on its refund.",
                                    order=refunded.pos_reference or refunded.name)))
        return vals_list

    def _retail_add_spend(self, partner):
        """Add the order to the member's lifetime spend."""
        self.env["res.partner"].flush_model(["retail_lifetime_spend"])
        self.env.cr.execute(SQL(
            "UPDATE res_partner SET retail_lifetime_spend = COALESCE(retail_lifetime_spend, 0) + %(amount)s "
            "WHERE id = %(id)s", amount=self.amount_total, id=partner.id))
        partner.invalidate_recordset(["retail_lifetime_spend"])

    def _retail_may_upgrade(self, partner):
        """Whether this purchase can lift the member to a higher tier. Lifetime spend bounds the
        spend of any window, so most orders skip the evaluation without reading the orders."""
        ladder = self.env["retail.member.tier"].sudo()._retail_ladder(self.company_id)
        current = partner.retail_tier_id
        above = ladder[list(ladder).index(current) + 1:] if current in ladder else ladder
        if not above:
            return False
        if any(tier.basis != "spend" for tier in above):
            return True
        return partner.retail_lifetime_spend >= min(above.mapped("threshold"))

    def _retail_points_to_earn(self, partner):
        """Points for this order: amount paid x points per currency unit x tier multiplier."""
        company = self.company_id
        multiplier = partner.retail_tier_id.points_multiplier if partner.retail_tier_id else 1.0
        return points_tools.points_earned(self.amount_total, company.retail_points_per_currency, multiplier)

    # ------------------------------------------------------------------
    # Core loyalty: never take the member programme's points from the till
    # ------------------------------------------------------------------
    def confirm_coupon_programs(self, coupon_data):
        member_programs = self.env["loyalty.program"].sudo().search([("retail_is_member_program", "=", True)])
        coupon_data = {
            key: value for key, value in coupon_data.items()
            if int(value.get("program_id") or 0) not in member_programs.ids
        }
        return super().confirm_coupon_programs(coupon_data)

    @api.model
    def _load_pos_data_fields(self, config):
        fields_list = super()._load_pos_data_fields(config)
        if fields_list:
            fields_list += ["retail_points_redeemed", "retail_points_earned"]
        return fields_list
