import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { PosStore } from "@point_of_sale/app/services/pos_store";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { RetailApprovalPopup } from "@retail_pos/app/components/popups/retail_approval_popup/retail_approval_popup";
import {
    retailApprovalCredential,
    retailHashSecret,
} from "@retail_pos/app/utils/retail_approval";

const PRICE_TOLERANCE = 0.005;

patch(PosStore.prototype, {
    /**
     * Ask a manager of this store for their PIN or badge.
     * Resolves to ``{ employee, secret }`` or ``false``.
     */
    async retailRequestApproval({ title, reason }) {
        const secret = await makeAwaitable(this.dialog, RetailApprovalPopup, {
            title: title || _t("Manager approval"),
            reason,
        });
        if (!secret) {
            return false;
        }
        const hashed = retailHashSecret(secret);
        const employee = (this.models["hr.employee"]?.getAll() || []).find(
            (emp) => emp._retail_manager && (emp._pin === hashed || emp._barcode === hashed)
        );
        if (!employee) {
            this.notification.add(_t("This PIN or badge is not a manager of this store."), {
                type: "danger",
                title: _t("Approval refused"),
            });
            return false;
        }
        if (this.getCashier?.()?.id === employee.id) {
            this.notification.add(_t("Another manager must approve your own action."), {
                type: "danger",
                title: _t("Approval refused"),
            });
            return false;
        }
        return { employee, secret };
    },

    retailGetApprovals(order) {
        try {
            return JSON.parse(order.retail_approval_payload || "[]");
        } catch {
            return [];
        }
    },

    /** Bind the approval to this order, action, line and value, and keep it on the order. */
    retailRecordApproval(order, grant, { action, line, originalValue = "", newValue = "" }) {
        const lineUuid = line ? line.uuid : "";
        const value = String(newValue);
        const approvals = this.retailGetApprovals(order).filter(
            (approval) =>
                !(
                    approval.action === action &&
                    approval.line_uuid === lineUuid &&
                    (action !== "expired_lot" || approval.new_value === value)
                )
        );
        approvals.push({
            action,
            line_uuid: lineUuid,
            employee_id: grant.employee.id,
            approver_name: grant.employee.name,
            product_name: line ? line.getFullProductName?.() || line.product_id?.display_name : "",
            original_value: String(originalValue),
            new_value: value,
            approved_at: new Date().toISOString(),
            credential: retailApprovalCredential(
                grant.secret,
                order.uuid,
                action,
                lineUuid,
                value,
                grant.employee.id
            ),
        });
        order.retail_approval_payload = JSON.stringify(approvals);
    },

    retailHasApproval(order, action, lineUuid, accepts) {
        return this.retailGetApprovals(order).some(
            (approval) =>
                approval.action === action &&
                (approval.line_uuid || "") === (lineUuid || "") &&
                accepts(approval.new_value)
        );
    },

    restrictLineDiscountChange() {
        return this.config.retail_max_line_discount < 100 || super.restrictLineDiscountChange(...arguments);
    },

    restrictLinePriceChange() {
        return !this.config.retail_price_override_allowed || super.restrictLinePriceChange(...arguments);
    },

    async setDiscountFromUI(line, val) {
        const discount = parseFloat(val) || 0;
        const limit = this.config.retail_max_line_discount;
        if (limit < 100 && discount > limit + 0.0001) {
            const grant = await this.retailRequestApproval({
                reason: _t(
                    "A discount of %(discount)s is above this store's limit of %(limit)s.",
                    { discount: `${discount}%`, limit: `${limit}%` }
                ),
            });
            if (!grant) {
                return;
            }
            const original = line.getDiscount();
            await super.setDiscountFromUI(line, val);
            for (const approvedLine of [line, ...(line.combo_line_ids || [])]) {
                this.retailRecordApproval(line.order_id, grant, {
                    action: "discount",
                    line: approvedLine,
                    originalValue: original,
                    newValue: approvedLine.getDiscount(),
                });
            }
            return;
        }
        return await super.setDiscountFromUI(line, val);
    },

    retailOrderDiscountPercent(order) {
        // The global discount of pos_discount (when installed) is a line of its discount
        // product: what it takes off counts as discount, as on the server.
        const discountProductId = this.config.discount_product_id?.id;
        let gross = 0;
        let net = 0;
        let globalDiscount = 0;
        for (const line of order.lines) {
            if (line.qty <= 0) {
                continue;
            }
            const amount = line.qty * line.price_unit * (1 - (line.discount || 0) / 100);
            if (discountProductId && line.product_id?.id === discountProductId) {
                globalDiscount -= amount;
            } else {
                gross += line.qty * line.price_unit;
                net += amount;
            }
        }
        return gross > 0 ? ((gross - net + Math.max(globalDiscount, 0)) / gross) * 100 : 0;
    },

    /** Policy checks that need the whole order: run before going to payment. */
    async retailCheckBeforePayment(order) {
        const config = this.config;
        const percent = this.retailOrderDiscountPercent(order);
        if (
            config.retail_max_order_discount < 100 &&
            percent > config.retail_max_order_discount + 0.0001 &&
            !this.retailHasApproval(order, "order_discount", "", (v) => parseFloat(v) >= percent - 0.01)
        ) {
            const grant = await this.retailRequestApproval({
                reason: _t("The order's total discount of %(percent)s is above this store's limit of %(limit)s.", {
                    percent: `${percent.toFixed(2)}%`,
                    limit: `${config.retail_max_order_discount}%`,
                }),
            });
            if (!grant) {
                return false;
            }
            this.retailRecordApproval(order, grant, {
                action: "order_discount",
                newValue: percent.toFixed(2),
            });
        }
        const threshold = config.retail_return_approval_amount || 0;
        for (const line of order.lines) {
            if (line.qty >= 0 || line.refunded_orderline_id) {
                continue;
            }
            const amount = -line.qty * line.price_unit * (1 - (line.discount || 0) / 100);
            const needsApproval =
                !config.retail_return_without_receipt || (threshold && amount > threshold + PRICE_TOLERANCE);
            if (
                needsApproval &&
                !this.retailHasApproval(order, "return", line.uuid, (v) => parseFloat(v) >= amount - PRICE_TOLERANCE)
            ) {
                const grant = await this.retailRequestApproval({
                    reason: _t("%(product)s is returned without a receipt (%(amount)s).", {
                        product: line.getFullProductName(),
                        amount: this.env.utils.formatCurrency(amount),
                    }),
                });
                if (!grant) {
                    return false;
                }
                this.retailRecordApproval(order, grant, {
                    action: "return",
                    line,
                    newValue: (Math.ceil(amount * 100 - 1e-6) / 100).toFixed(2),
                });
            }
        }
        return await this.retailCheckExpiredLots(order);
    },

    async retailCheckExpiredLots(order) {
        const wanted = [];
        for (const line of order.lines) {
            if (line.qty <= 0) {
                continue;
            }
            for (const lot of line.pack_lot_ids || []) {
                if (lot.lot_name) {
                    wanted.push({ line, lotName: lot.lot_name });
                }
            }
        }
        if (!wanted.length) {
            return true;
        }
        let expired = [];
        try {
            expired = await this.data.call("pos.order", "retail_expired_lots", [
                wanted.map(({ line, lotName }) => [line.product_id.id, lotName]),
            ]);
        } catch {
            // Offline: the server checks the lots again when the order is synchronised.
            return true;
        }
        const expiredKeys = new Set(expired.map(([productId, lotName]) => `${productId}|${lotName}`));
        for (const { line, lotName } of wanted) {
            if (
                !expiredKeys.has(`${line.product_id.id}|${lotName}`) ||
                this.retailHasApproval(order, "expired_lot", line.uuid, (v) => v === lotName)
            ) {
                continue;
            }
            const grant = await this.retailRequestApproval({
                title: _t("Expired lot"),
                reason: _t("Lot %(lot)s of %(product)s is past its expiration date.", {
                    lot: lotName,
                    product: line.getFullProductName(),
                }),
            });
            if (!grant) {
                return false;
            }
            this.retailRecordApproval(order, grant, { action: "expired_lot", line, newValue: lotName });
        }
        return true;
    },

    async pay() {
        const order = this.getOrder();
        if (order && !(await this.retailCheckBeforePayment(order))) {
            return;
        }
        return await super.pay(...arguments);
    },
});
