import { ProductScreen } from "@point_of_sale/app/screens/product_screen/product_screen";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(ProductScreen.prototype, {
    async _getPartnerByBarcode(code) {
        const partner = await super._getPartnerByBarcode(...arguments);
        if (partner) {
            return partner;
        }
        // a member card of another store: the till did not load that member and may not read them
        const result = await this.pos.retailFindMember(code.code);
        if (result.status === "limited") {
            this.notification.add(result.message, {
                type: "warning",
                title: _t("Too many member lookups"),
            });
        }
        return result.members.length === 1 ? result.members[0].partner : false;
    },
});
