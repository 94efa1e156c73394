import { patch } from "@web/core/utils/patch";
import { OrderReceipt } from "@point_of_sale/app/screens/receipt_screen/receipt/order_receipt";
import { retailAmountInCapitals } from "@retail_pos/app/utils/retail_approval";

patch(OrderReceipt.prototype, {
    /** The cash handed back to the customer: core's ``change`` is signed as money leaving the till. */
    get retailChangeGiven() {
        return Math.abs(this.order.change);
    },
    get retailShowCapitals() {
        return this.order.currency?.name === "CNY";
    },
    get retailAmountCapitals() {
        return retailAmountInCapitals(this.order.priceIncl ?? this.order.getTotalWithTax?.() ?? 0);
    },
    get retailApprovals() {
        try {
            return JSON.parse(this.order.retail_approval_payload || "[]");
        } catch {
            return [];
        }
    },
    get retailRefundedReceipts() {
        const names = new Set();
        for (const line of this.order.lines) {
            const original = line.refunded_orderline_id?.order_id;
            if (original) {
                names.add(original.pos_reference || original.name);
            }
        }
        return [...names];
    },
});
