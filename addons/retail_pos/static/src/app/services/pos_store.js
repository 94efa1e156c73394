import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { ConnectionLostError } from "@web/core/network/rpc";
import { PosStore } from "@point_of_sale/app/services/pos_store";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { RetailApprovalPopup } from "@retail_pos/app/components/popups/retail_approval_popup/retail_approval_popup";

const PRICE_TOLERANCE = 0.005;

patch(PosStore.prototype, {
    /** The employees of this till who may approve (a store manager with an approval PIN). */
    retailApprovers() {
        const cashier = this.getCashier?.();
        return (this.models["hr.employee"]?.getAll() || []).filter(
            (employee) => employee._retail_manager && employee.id !== cashier?.id
        );
    },

    /**
     * Ask a store manager to approve ``action`` on ``items`` (``{ line, newValue,
     * originalValue }``). The manager types their approval PIN; the server checks it and
     * signs the approval. Resolves to the approvals to keep on the order, or ``false``.
     * Offline, the sale goes on: the approval is kept as unverified and a manager of the
     * store confirms it later. ``order`` is omitted for cash moves.
     */
    async retailRequestApproval({ title, reason, action, order = null, items }) {
        const approvers = this.retailApprovers();
        if (!approvers.length) {
            this.notification.add(
                _t("No store manager with an approval PIN can approve at this till."),
                { type: "danger", title: _t("Approval refused") }
            );
            return false;
        }
        const answer = await makeAwaitable(this.dialog, RetailApprovalPopup, {
            title: title || _t("Manager approval"),
            reason,
            approvers: approvers.map((employee) => ({ id: employee.id, name: employee.name })),
        });
        if (!answer || !answer.secret) {
            return false;
        }
        const employee = approvers.find((candidate) => candidate.id === answer.employeeId);
        const payloadItems = items.map(({ line, newValue, originalValue }) => ({
            line_uuid: line ? line.uuid : "",
            new_value: String(newValue ?? ""),
            original_value: String(originalValue ?? ""),
        }));
        const productNames = items.map(({ line }) =>
            line ? line.getFullProductName?.() || line.product_id?.display_name || "" : ""
        );
        let response;
        try {
            response = await this.data.call("pos.session", "retail_request_approval", [
                [this.session.id],
                action,
                order ? order.uuid : false,
                payloadItems,
                answer.employeeId,
                answer.secret,
            ]);
        } catch (error) {
            if (!(error instanceof ConnectionLostError) || !order) {
                throw error;
            }
            this.notification.add(
                _t("The till is offline: the sale goes on and a store manager confirms this approval later."),
                { type: "warning", title: _t("Approval not checked") }
            );
            const approvedAt = new Date().toISOString();
            return payloadItems.map((item, index) => ({
                action,
                ...item,
                employee_id: answer.employeeId,
                approver_name: employee?.name || "",
                product_name: productNames[index],
                approved_at: approvedAt,
                offline: true,
            }));
        }
        if (!response.ok) {
            this.notification.add(response.message, { type: "danger", title: _t("Approval refused") });
            return false;
        }
        const approvedAt = new Date().toISOString();
        return response.approvals.map((approval, index) => ({
            ...approval,
            product_name: productNames[index],
            approved_at: approvedAt,
        }));
    },

    retailGetApprovals(order) {
        try {
            return JSON.parse(order.retail_approval_payload || "[]");
        } catch {
            return [];
        }
    },

    /** Keep ``approvals`` on the order, replacing earlier ones of the same action and line. */
    retailAddApprovals(order, approvals) {
        const kept = this.retailGetApprovals(order).filter(
            (existing) =>
                !approvals.some(
                    (approval) =>
                        approval.action === existing.action &&
                        approval.line_uuid === existing.line_uuid &&
                        (approval.action !== "expired_lot" || approval.new_value === existing.new_value)
                )
        );
        order.retail_approval_payload = JSON.stringify([...kept, ...approvals]);
    },

    /** Ask for an approval and keep it on the order; resolves to whether it was given. */
    async retailApprove(order, { title, reason, action, items }) {
        const approvals = await this.retailRequestApproval({ title, reason, action, order, items });
        if (!approvals) {
            return false;
        }
        this.retailAddApprovals(order, approvals);
        return true;
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
            const original = line.getDiscount();
            const approved = await this.retailApprove(line.order_id, {
                reason: _t(
                    "A discount of %(discount)s is above this store's limit of %(limit)s.",
                    { discount: `${discount}%`, limit: `${limit}%` }
                ),
                action: "discount",
                items: [line, ...(line.combo_line_ids || [])].map((approvedLine) => ({
                    line: approvedLine,
                    originalValue: original,
                    newValue: discount,
                })),
            });
            if (!approved) {
                return;
            }
            return await super.setDiscountFromUI(line, val);
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
            const approved = await this.retailApprove(order, {
                reason: _t("The order's total discount of %(percent)s is above this store's limit of %(limit)s.", {
                    percent: `${percent.toFixed(2)}%`,
                    limit: `${config.retail_max_order_discount}%`,
                }),
                action: "order_discount",
                items: [{ line: null, newValue: percent.toFixed(2) }],
            });
            if (!approved) {
                return false;
            }
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
                const approved = await this.retailApprove(order, {
                    reason: _t("%(product)s is returned without a receipt (%(amount)s).", {
                        product: line.getFullProductName(),
                        amount: this.env.utils.formatCurrency(amount),
                    }),
                    action: "return",
                    items: [{ line, newValue: (Math.ceil(amount * 100 - 1e-6) / 100).toFixed(2) }],
                });
                if (!approved) {
                    return false;
                }
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
            const approved = await this.retailApprove(order, {
                title: _t("Expired lot"),
                reason: _t("Lot %(lot)s of %(product)s is past its expiration date.", {
                    lot: lotName,
                    product: line.getFullProductName(),
                }),
                action: "expired_lot",
                items: [{ line, newValue: lotName }],
            });
            if (!approved) {
                return false;
            }
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
