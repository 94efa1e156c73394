import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { OrderSummary } from "@point_of_sale/app/screens/product_screen/order_summary/order_summary";

patch(OrderSummary.prototype, {
    /** Removing a line once payment has started needs a manager: it is a classic way to skim. */
    _setValue(val) {
        const order = this.currentOrder;
        const line = order?.getSelectedOrderline();
        if (
            val !== "remove" ||
            this.pos.numpadMode !== "quantity" ||
            !line ||
            !order.payment_ids?.some((payment) => payment.amount)
        ) {
            return super._setValue(...arguments);
        }
        const args = arguments;
        return (async () => {
            const approved = await this.pos.retailApprove(order, {
                reason: _t("%(product)s is removed after payment has started.", {
                    product: line.getFullProductName(),
                }),
                action: "delete_line",
                items: [{ line, originalValue: line.getQuantity(), newValue: 0 }],
            });
            if (!approved) {
                return;
            }
            return super._setValue(...args);
        })();
    },

    /** A price below the price list needs a manager when the store forbids overrides. */
    async setLinePrice(line, price) {
        const newPrice = parseFloat(price);
        if (this.pos.config.retail_price_override_allowed || isNaN(newPrice)) {
            return await super.setLinePrice(...arguments);
        }
        const order = line.order_id;
        const listPrice = line.product_id.product_tmpl_id.getPrice(
            order.pricelist_id,
            line.getQuantity(),
            line.getPriceExtra(),
            false,
            line.product_id
        );
        if (newPrice >= listPrice - 0.005) {
            return await super.setLinePrice(...arguments);
        }
        const approved = await this.pos.retailApprove(order, {
            reason: _t("%(product)s: %(price)s is below the price list price of %(list)s.", {
                product: line.getFullProductName(),
                price: this.env.utils.formatCurrency(newPrice),
                list: this.env.utils.formatCurrency(listPrice),
            }),
            action: "price",
            items: [{ line, originalValue: listPrice, newValue: newPrice }],
        });
        if (!approved) {
            return;
        }
        await super.setLinePrice(...arguments);
    },
});
