import { PosStore } from "@point_of_sale/app/services/pos_store";
import { patch } from "@web/core/utils/patch";

patch(PosStore.prototype, {
    get productsToDisplay() {
        // the redemption product is added by the "Redeem Points" button only
        return super.productsToDisplay.filter(
            (template) => template.default_code !== "RETAIL-POINTS"
        );
    },
    async postSyncAllOrders(orders) {
        await super.postSyncAllOrders(...arguments);
        // the server computed the points: refresh the members' balances shown at the till
        const memberIds = [
            ...new Set(
                orders
                    .filter((order) => order.partner_id?.retail_is_member)
                    .map((order) => order.partner_id.id)
            ),
        ];
        if (memberIds.length) {
            await this.data.read("res.partner", memberIds);
        }
    },
});
