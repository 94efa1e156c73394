import { patch } from "@web/core/utils/patch";
import { ResPartner } from "@point_of_sale/app/models/res_partner";

patch(ResPartner.prototype, {
    get searchString() {
        const base = super.searchString;
        return this.retail_pinyin ? `${base} ${this.retail_pinyin}` : base;
    },
});
