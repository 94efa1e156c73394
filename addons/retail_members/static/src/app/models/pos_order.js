import { PosOrder } from "@point_of_sale/app/models/pos_order";
import { patch } from "@web/core/utils/patch";

patch(PosOrder.prototype, {
    /** Member of the order, when the customer is a member. */
    getRetailMember() {
        const partner = this.getPartner();
        return partner && partner.retail_is_member ? partner : false;
    },
    /** Points shown at the till; the server computes the real figure from the paid order. */
    getRetailPointsToEarn() {
        const member = this.getRetailMember();
        if (!member) {
            return 0;
        }
        const rate = this.config.retail_points_per_currency || 0;
        const multiplier = member.retail_points_multiplier || 1;
        const amount = this.priceIncl;
        return amount > 0 ? Math.floor(Math.round(amount * rate * multiplier * 1e6) / 1e6) : 0;
    },
    getRetailRedemptionLines() {
        return this.lines.filter((line) => line.product_id?.default_code === "RETAIL-POINTS");
    },
    setPartner(partner) {
        const previous = this.getPartner();
        super.setPartner(...arguments);
        const tierPricelist = partner?.retail_is_member && partner.retail_tier_pricelist_id;
        if (tierPricelist && this.models["product.pricelist"].get(tierPricelist.id)) {
            this.setPricelist(tierPricelist);
        }
        if (previous && previous !== partner && this.retail_points_redeemed) {
            for (const line of this.getRetailRedemptionLines()) {
                line.delete();
            }
            this.retail_points_redeemed = 0;
        }
    },
});
