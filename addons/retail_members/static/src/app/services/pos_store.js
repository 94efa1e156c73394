import { PosStore } from "@point_of_sale/app/services/pos_store";
import { patch } from "@web/core/utils/patch";

patch(PosStore.prototype, {
    get productsToDisplay() {
        // the redemption product is added by the "Redeem Points" button only
        return super.productsToDisplay.filter(
            (template) => template.default_code !== "RETAIL-POINTS"
        );
    },
    /**
     * Look a member up by the exact card barcode, member number or full mobile number, and load
     * the members found into the till: a member of another store is not among the partners the
     * till loaded, and the store wall keeps the till from reading them.
     *
     * @returns {Promise<{status: string, message: string, members: Object[]}>} the server's
     *      answer, each member with its loaded `partner`
     */
    async retailFindMember(query) {
        const result = await this.data.call("res.partner", "retail_pos_find_member", [
            query,
            this.config.id,
        ]);
        if (Object.keys(result.records).length) {
            this.models.connectNewData(result.records);
            this.data.synchronizeServerDataInIndexedDB(result.records);
        }
        for (const member of result.members) {
            member.partner = this.models["res.partner"].get(member.id);
        }
        return result;
    },
});
