import { patch } from "@web/core/utils/patch";
import { ProductTemplate } from "@point_of_sale/app/models/product_template";

patch(ProductTemplate.prototype, {
    get searchString() {
        const base = super.searchString;
        return this.retail_pinyin ? `${base} ${this.retail_pinyin}` : base;
    },
});
