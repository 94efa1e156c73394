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
        const grant = await this.pos.retailRequestApproval({
            title: _t("Scan the barcode"),
            reason: _t(
                "%s has a barcode: scan it. A store manager may allow keying it in this once.",
                product.display_name
            ),
        });
        if (!grant) {
            return;
        }
        const order = this.pos.getOrder();
        await super.addProductToOrder(...arguments);
        const line = order?.getSelectedOrderline();
        if (line) {
            this.pos.retailRecordApproval(order, grant, {
                action: "manual_entry",
                line,
                newValue: line.product_id.id,
            });
        }
    },
});
