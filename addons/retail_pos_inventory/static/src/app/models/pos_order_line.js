import { patch } from "@web/core/utils/patch";
import { PosOrderline } from "@point_of_sale/app/models/pos_order_line";
import { deserializeDateTime } from "@web/core/l10n/dates";

function toMillis(value) {
    if (!value) {
        return NaN;
    }
    if (typeof value === "string") {
        return deserializeDateTime(value).toMillis();
    }
    return typeof value.toMillis === "function" ? value.toMillis() : new Date(value).getTime();
}

patch(PosOrderline.prototype, {
    /**
     * The approved markdown step under way for this line's lots in the till's store, or null.
     * A line of several lots takes the highest of their prices, as the server does; a lot
     * without a step running leaves the line at its price list price.
     */
    retailMarkdownStep() {
        const lotNames = (this.pack_lot_ids || []).map((lot) => lot.lot_name).filter(Boolean);
        if (!lotNames.length || this.qty <= 0 || this.refunded_orderline_id) {
            return null;
        }
        const steps = this.models["retail.lot.markdown.step"]?.getAll() || [];
        const now = Date.now();
        let chosen = null;
        for (const name of new Set(lotNames)) {
            const step = steps.find(
                (candidate) =>
                    candidate.product_id?.id === this.product_id?.id &&
                    candidate.lot_name === name &&
                    toMillis(candidate.date_from) <= now &&
                    now < toMillis(candidate.date_to)
            );
            if (!step) {
                return null;
            }
            if (!chosen || step.price > chosen.price) {
                chosen = step;
            }
        }
        return chosen;
    },

    setUnitPrice(price) {
        const step = this.price_type !== "manual" && this.retailMarkdownStep();
        if (step) {
            const parsed = typeof price === "number" ? price : parseFloat("" + price);
            if (!isNaN(parsed) && parsed > step.price) {
                price = step.price;
            }
        }
        return super.setUnitPrice(price);
    },

    setPackLotLines() {
        const result = super.setPackLotLines(...arguments);
        if (this.price_type !== "manual" && this.product_id) {
            // The lot decides the price: a marked down lot sells at its step's price.
            this.setUnitPrice(
                this.product_id.product_tmpl_id.getPrice(
                    this.order_id.pricelist_id,
                    this.getQuantity(),
                    this.getPriceExtra(),
                    false,
                    this.product_id
                )
            );
        }
        return result;
    },
});
