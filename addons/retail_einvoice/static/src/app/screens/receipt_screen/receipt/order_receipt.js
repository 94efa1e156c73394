import { patch } from "@web/core/utils/patch";
import { OrderReceipt } from "@point_of_sale/app/screens/receipt_screen/receipt/order_receipt";
import { generateQRCodeDataUrl } from "@point_of_sale/utils";

patch(OrderReceipt.prototype, {
    /**
     * The receipt's e-invoice link, built from what the till knows when it prints, before the
     * order reaches the server: the receipt number and the token the till made for the order (the
     * server builds the same link in ``pos.order._retail_einvoice_receipt_path``).
     */
    get retailEinvoiceUrl() {
        const params = new URLSearchParams({
            ref: this.order.pos_reference || "",
            access_token: this.order.access_token || "",
        });
        return `${this.order.config._base_url}/einvoice/ticket?${params}`;
    },
    get retailEinvoiceQrCode() {
        return generateQRCodeDataUrl(this.retailEinvoiceUrl);
    },
    get retailShowEinvoice() {
        return Boolean(
            this.order.company.retail_einvoice_on_receipt &&
                this.order.finalized &&
                this.order.access_token &&
                this.order.pos_reference
        );
    },
});
