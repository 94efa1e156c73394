from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq

# The till makes an order's token (a UUID, 36 characters) when it opens the order; a shorter one
# can be guessed and proves nothing.
MIN_TOKEN_LENGTH = 32


class RetailEinvoicePortal(http.Controller):
    """The customer's page behind the receipt's QR code: one e-invoice request per order, for
    whoever holds the order's access token."""

    def _order_for_token(self, order_id, access_token):
        order = request.env["pos.order"].sudo().browse(order_id).exists()
        if not order or not order.access_token or not isinstance(access_token, str) \
                or len(access_token) < MIN_TOKEN_LENGTH or not consteq(order.access_token, access_token):
            return None
        return order

    def _order_for_receipt(self, reference, access_token):
        """The order a printed receipt names: its number and the token the till made for it, as core's
        own receipt QR code carries it (``/pos/ticket/validate``). The token is the proof; a token the
        till gave to more than one order proves nothing, and an order not on the server yet (printed
        offline) is not found, with the same answer as a wrong code."""
        if not isinstance(reference, str) or not reference or not isinstance(access_token, str) \
                or len(access_token) < MIN_TOKEN_LENGTH:
            return None
        orders = request.env["pos.order"].sudo().search([("access_token", "=", access_token)], limit=2)
        if len(orders) != 1 or not consteq(orders.pos_reference or "", reference):
            return None
        return orders

    def _render(self, order, access_token, **values):
        einvoice = order.retail_einvoice_ids.filtered(
            lambda einvoice: einvoice.kind == "blue" and einvoice.state != "voided" and not einvoice.is_reversed)[:1]
        return request.render("retail_einvoice.einvoice_request_page", {
            "order": order, "access_token": access_token, "einvoice": einvoice, "values": {}, **values,
        })

    @http.route("/einvoice/ticket", type="http", auth="public", website=True, sitemap=False, methods=["GET"])
    def einvoice_receipt(self, ref=None, access_token=None, **kwargs):
        """Where the receipt's QR code leads: the page of the order it names."""
        order = self._order_for_receipt(ref, access_token)
        if order is None:
            return request.render("retail_einvoice.einvoice_not_found", status=404)
        return request.redirect(order._retail_einvoice_path())

    @http.route("/einvoice/pos/<int:order_id>", type="http", auth="public", website=True, sitemap=False,
                methods=["GET"])
    def einvoice_page(self, order_id, access_token=None, **kwargs):
        order = self._order_for_token(order_id, access_token)
        if order is None:
            return request.render("retail_einvoice.einvoice_not_found", status=404)
        return self._render(order, access_token)

    @http.route("/einvoice/pos/<int:order_id>", type="http", auth="public", website=True, sitemap=False,
                methods=["POST"])
    def einvoice_submit(self, order_id, access_token=None, **post):
        order = self._order_for_token(order_id, access_token)
        if order is None:
            return request.render("retail_einvoice.einvoice_not_found", status=404)
        values = {key: (post.get(key) or "").strip() for key in ("buyer_kind", "buyer_title", "buyer_tax_id",
                                                                   "buyer_email")}
        if values["buyer_kind"] not in ("personal", "company"):
            values["buyer_kind"] = "personal"
        try:
            with request.env.cr.savepoint():
                request.env["retail.einvoice"]._create_from_portal(order, values)
        except (UserError, ValidationError) as error:
            return self._render(order, access_token, error=str(error.args[0]), values=values)
        return request.redirect(order._retail_einvoice_path() + "&submitted=1")
