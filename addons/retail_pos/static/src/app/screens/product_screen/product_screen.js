import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { ProductScreen } from "@point_of_sale/app/screens/product_screen/product_screen";

patch(ProductScreen.prototype, {
    retailHasBarcode(productTemplate) {
        return Boolean(
            productTemplate.barcode ||
                (productTemplate.product_variant_ids || []).some((variant) => variant.barcode)
        );
    },

    /** Scan first: a barcoded product keyed in by hand needs a manager, once per line. */
    async addProductToOrder(product) {
        if (!this.pos.config.retail_scan_first || !this.retailHasBarcode(product)) {
            return await super.addProductToOrder(...arguments);
        }
        // The approval names the line, so the line is added first and taken back if refused.
        const order = this.pos.getOrder();
        const before = new Set(order?.lines.map((line) => line.uuid) || []);
        await super.addProductToOrder(...arguments);
        const line = order?.getSelectedOrderline();
        if (!line || before.has(line.uuid)) {
            return;
        }
        const approved = await this.pos.retailApprove(order, {
            title: _t("Scan the barcode"),
            reason: _t(
                "%s has a barcode: scan it. A store manager may allow keying it in this once.",
                product.display_name
            ),
            action: "manual_entry",
            items: [{ line, newValue: line.product_id.id }],
        });
        if (!approved) {
            order.removeOrderline(line);
        }
    },
});
