import { patch } from "@web/core/utils/patch";
import { PaymentScreenStatus } from "@point_of_sale/app/screens/payment_screen/payment_status/payment_status";

patch(PaymentScreenStatus.prototype, {
    /** Under "Change" the cashier reads what to hand back: core's ``change`` is negative when overpaid. */
    get amountText() {
        if (!this.isRemaining) {
            return this.env.utils.formatCurrency(Math.abs(this.order.change));
        }
        return super.amountText;
    },
});
