import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { CashMovePopup } from "@point_of_sale/app/components/popups/cash_move_popup/cash_move_popup";
import { retailApprovalCredential } from "@retail_pos/app/utils/retail_approval";

function nonce() {
    return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

patch(CashMovePopup.prototype, {
    /** A cash-out above the store limit needs a manager; the server checks it again. */
    async confirm() {
        this.retailApproval = null;
        const amount = parseFloat(this.state.amount);
        const limit = this.pos.config.retail_cash_out_limit;
        if (this.state.type === "out" && limit && amount > limit + 0.005) {
            const grant = await this.pos.retailRequestApproval({
                reason: _t("A cash-out of %(amount)s is above this store's limit of %(limit)s.", {
                    amount: this.env.utils.formatCurrency(amount),
                    limit: this.env.utils.formatCurrency(limit),
                }),
            });
            if (!grant) {
                return;
            }
            const reference = `session-${this.pos.session.id}`;
            const lineUuid = nonce();
            const value = String(amount);
            this.retailApproval = {
                employee_id: grant.employee.id,
                line_uuid: lineUuid,
                new_value: value,
                credential: retailApprovalCredential(
                    grant.secret,
                    reference,
                    "cash_out",
                    lineUuid,
                    value,
                    grant.employee.id
                ),
            };
        }
        return await super.confirm(...arguments);
    },

    _prepareTryCashInOutPayload(type, amount, reason, partnerId, extras) {
        const payload = super._prepareTryCashInOutPayload(...arguments);
        if (this.retailApproval) {
            payload[5] = { ...payload[5], retail_approval: this.retailApproval };
        }
        return payload;
    },
});
