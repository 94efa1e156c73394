import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { SelectionPopup } from "@point_of_sale/app/components/popups/selection_popup/selection_popup";
import { NumberPopup } from "@point_of_sale/app/components/popups/number_popup/number_popup";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";

patch(ControlButtons.prototype, {
    /**
     * The customer wants the selected line's product, which this store lacks: list the other
     * stores that hold it (nearest first) and ask one of them to send some.
     */
    async clickRetailOtherStores() {
        const product = this.currentOrder?.getSelectedOrderline()?.product_id;
        if (!product) {
            this.notification.add(_t("Add the product the customer wants, then ask another store."), {
                type: "warning",
            });
            return;
        }
        const stores = await this.pos.data.call("pos.session", "retail_stock_elsewhere", [
            [this.pos.session.id],
            product.id,
        ]);
        if (!stores.length) {
            this.notification.add(
                _t("No other store has %(product)s to send.", { product: product.display_name }),
                { type: "warning" }
            );
            return;
        }
        const store = await makeAwaitable(this.dialog, SelectionPopup, {
            title: _t("Stores holding %(product)s", { product: product.display_name }),
            list: stores.map((other) => ({
                id: other.id,
                label: _t("%(store)s: %(qty)s", { store: other.name, qty: other.qty }),
                item: other,
            })),
        });
        if (!store) {
            return;
        }
        const quantity = await makeAwaitable(this.dialog, NumberPopup, {
            title: _t("How many should %(store)s send?", { store: store.name }),
            startingValue: 1,
        });
        if (!quantity) {
            return;
        }
        const result = await this.pos.data.call("pos.session", "retail_request_stock", [
            [this.pos.session.id],
            product.id,
            store.id,
            parseFloat(quantity),
        ]);
        this.notification.add(result.message, { type: "success", title: _t("Stock requested") });
    },
});
