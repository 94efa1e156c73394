import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { useState } from "@odoo/owl";
import { CashMovePopup } from "@point_of_sale/app/components/popups/cash_move_popup/cash_move_popup";

patch(CashMovePopup.prototype, {
    setup() {
        super.setup(...arguments);
        this.retailState = useState({ cashDrop: false });
    },

    get retailIsCashDrop() {
        return this.state.type === "out" && this.retailState.cashDrop;
    },

    retailToggleCashDrop(ev) {
        this.retailState.cashDrop = ev.target.checked;
        if (this.retailState.cashDrop && !this.state.reason.trim()) {
            this.state.reason = _t("Cash drop to the safe");
        }
    },

    /** Ask a manager; the server binds the approval to this session, action and amount. */
    async retailApproveCashMove(action, reason, amount) {
        const approvals = await this.pos.retailRequestApproval({
            reason,
            action,
            items: [{ line: null, newValue: String(amount) }],
        });
        if (!approvals) {
            return false;
        }
        this.retailApproval = approvals[0];
        return true;
    },

    /**
     * A cash-out above the store limit needs a manager. A cash drop stays in the company's
     * custody, so it is not held to that limit; the store may require a manager to witness it.
     * The server checks both again.
     */
    async confirm() {
        this.retailApproval = null;
        const amount = parseFloat(this.state.amount);
        const config = this.pos.config;
        const limit = config.retail_cash_out_limit;
        if (this.retailIsCashDrop) {
            if (
                config.retail_cash_drop_witness &&
                amount > 0 &&
                !(await this.retailApproveCashMove(
                    "cash_drop",
                    _t("A store manager witnesses this cash drop of %(amount)s to the safe.", {
                        amount: this.env.utils.formatCurrency(amount),
                    }),
                    amount
                ))
            ) {
                return;
            }
        } else if (
            this.state.type === "out" &&
            limit &&
            amount > limit + 0.005 &&
            !(await this.retailApproveCashMove(
                "cash_out",
                _t("A cash-out of %(amount)s is above this store's limit of %(limit)s.", {
                    amount: this.env.utils.formatCurrency(amount),
                    limit: this.env.utils.formatCurrency(limit),
                }),
                amount
            ))
        ) {
            return;
        }
        return await super.confirm(...arguments);
    },

    _prepareTryCashInOutPayload(type, amount, reason, partnerId, extras) {
        const payload = super._prepareTryCashInOutPayload(...arguments);
        const retailExtras = {};
        if (this.retailApproval) {
            retailExtras.retail_approval = this.retailApproval;
        }
        if (type === "out" && this.retailState.cashDrop) {
            retailExtras.retail_cash_drop = true;
        }
        payload[5] = { ...payload[5], ...retailExtras };
        return payload;
    },
});
