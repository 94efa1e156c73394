import { patch } from "@web/core/utils/patch";
import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";

patch(PaymentScreen.prototype, {
    /** A refund is paid back by default with the tender the receipt was paid with. */
    onMounted() {
        super.onMounted(...arguments);
        const order = this.currentOrder;
        if (!order?.isRefund || this.paymentLines.length) {
            return;
        }
        const original = order.lines.find((line) => line.refunded_orderline_id)?.refunded_orderline_id
            ?.order_id;
        const allowed = new Set(this.payment_methods_from_config.map((method) => method.id));
        const payments = (original?.payment_ids || [])
            .filter((payment) => payment.amount > 0 && allowed.has(payment.payment_method_id?.id))
            .sort((a, b) => b.amount - a.amount);
        if (payments.length) {
            this.addNewPaymentLine(payments[0].payment_method_id);
        }
    },
});
