import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { TextInputPopup } from "@point_of_sale/app/components/popups/text_input_popup/text_input_popup";
import { NumberPopup } from "@point_of_sale/app/components/popups/number_popup/number_popup";
import { SelectionPopup } from "@point_of_sale/app/components/popups/selection_popup/selection_popup";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(ControlButtons.prototype, {
    async clickRetailMember() {
        const query = await makeAwaitable(this.dialog, TextInputPopup, {
            title: _t("Find a member: card, member number or mobile"),
            placeholder: _t("Scan the card, or enter the full mobile or member number"),
        });
        if (!query) {
            return;
        }
        const result = await this.pos.retailFindMember(query);
        if (result.status !== "found") {
            this.dialog.add(AlertDialog, {
                title:
                    result.status === "limited"
                        ? _t("Too many member lookups")
                        : _t("No member found"),
                body: result.message,
            });
            return;
        }
        let choice = result.members.length === 1 ? result.members[0] : null;
        if (!choice) {
            choice = await makeAwaitable(this.dialog, SelectionPopup, {
                title: _t("Choose the member"),
                list: result.members.map((member) => ({
                    id: member.id,
                    item: member,
                    label: `${member.name} · ${member.mobile_masked || member.member_number} · ${member.tier}`,
                })),
            });
            if (!choice) {
                return;
            }
        }
        if (choice.partner) {
            this.pos.setPartnerToCurrentOrder(choice.partner);
        }
    },
    async clickRetailRedeem() {
        const order = this.pos.getOrder();
        const member = order.getRetailMember();
        if (!member) {
            this.dialog.add(AlertDialog, {
                title: _t("No member"),
                body: _t("Identify the member before redeeming points."),
            });
            return;
        }
        const product = this.pos.models["product.product"].find(
            (p) => p.default_code === "RETAIL-POINTS"
        );
        const balance = member.retail_points_balance || 0;
        const value = this.pos.config.retail_points_value || 0;
        const input = await makeAwaitable(this.dialog, NumberPopup, {
            title: _t("Points to redeem"),
            subtitle: _t("Balance: %s points", balance),
            startingValue: "",
        });
        const points = parseInt(input || "0", 10);
        if (!points || points <= 0 || !product) {
            return;
        }
        if (points > balance) {
            this.dialog.add(AlertDialog, {
                title: _t("Not enough points"),
                body: _t("%(name)s has %(balance)s points.", { name: member.name, balance }),
            });
            return;
        }
        for (const line of order.getRetailRedemptionLines()) {
            line.delete();
        }
        await this.pos.addLineToCurrentOrder(
            {
                product_id: product,
                product_tmpl_id: product.product_tmpl_id,
                price_unit: -Math.round(points * value * 100) / 100,
            },
            {},
            false
        );
        order.retail_points_redeemed = points;
    },
});
