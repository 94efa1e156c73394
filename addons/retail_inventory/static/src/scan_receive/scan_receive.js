import { Component, onMounted, onWillStart, useEffect, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * Receiving screen: a focused input takes what a keyboard-wedge scanner types (ending with
 * Enter). The server counts, refuses and records; this screen only shows its answers. When
 * the server needs the lot of a product (a lot-tracked product from a supplier), the screen
 * asks for it once and sends the scan again with it.
 */
export class ScanReceive extends Component {
    static template = "retail_inventory.ScanReceive";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        const params = this.props.action.params || {};
        this.model = params.model || "stock.picking";
        this.pickingId = params.res_id || params.picking_id || this.props.action.context?.active_id;
        this.scanInput = useRef("scanInput");
        this.lotInput = useRef("lotInput");
        this.expiryInput = useRef("expiryInput");
        this.state = useState({
            data: null,
            message: "",
            status: "",
            quantity: "",
            damaged: null,
            damagedQuantity: 1,
            damagedReason: "",
            reason: "",
            done: false,
            lotPrompt: null,
            lotName: "",
            lotExpiry: "",
        });
        onWillStart(async () => {
            this.state.data = await this.orm.call(this.model, "retail_scan_state", [[this.pickingId]]);
            this.state.done = this.state.data.closed;
        });
        onMounted(() => this.focus());
        useEffect(
            () => this.focus(),
            () => [this.state.lotPrompt]
        );
    }

    get progress() {
        const data = this.state.data;
        if (!data || !data.expected) {
            return 0;
        }
        return Math.min(100, Math.round((100 * data.scanned) / data.expected));
    }

    lineClass(line) {
        if (line.scanned > line.expected) {
            return "list-group-item-danger";
        }
        if (line.scanned === line.expected) {
            return "list-group-item-success";
        }
        return line.scanned ? "list-group-item-warning" : "";
    }

    focus() {
        const prompt = this.state.lotPrompt;
        let input = this.scanInput.el;
        if (prompt) {
            const expiryMissing = prompt.needsExpiry && this.state.lotName && !this.state.lotExpiry;
            input = expiryMissing && this.expiryInput.el ? this.expiryInput.el : this.lotInput.el;
        }
        if (input) {
            input.focus();
        }
    }

    async onScanKeydown(ev) {
        if (ev.key !== "Enter") {
            return;
        }
        ev.preventDefault();
        const barcode = ev.target.value.trim();
        ev.target.value = "";
        if (barcode) {
            await this.scan(barcode);
        }
    }

    async call(method, args, kwargs = {}) {
        try {
            return await this.orm.call(this.model, method, [[this.pickingId], ...args], kwargs);
        } catch (error) {
            this.state.status = "error";
            this.state.message = error.data?.message || error.message || _t("Something went wrong.");
            return null;
        } finally {
            this.focus();
        }
    }

    showResult(result, barcode = null) {
        this.state.data = result.state;
        this.state.status = result.status;
        this.state.message = result.message;
        if (result.status === "lot_needed") {
            this.state.lotPrompt = {
                moveId: result.move_id,
                product: result.product,
                needsExpiry: result.needs_expiry,
                serial: result.serial,
                barcode,
                quantity: this.state.quantity,
            };
            this.state.lotName = result.lot_name || "";
            this.state.lotExpiry = "";
        } else {
            this.state.lotPrompt = null;
            this.state.quantity = "";
        }
    }

    async scan(barcode) {
        const quantity = this.state.quantity ? parseFloat(this.state.quantity) : null;
        const result = await this.call("retail_scan", [barcode], { quantity });
        if (result) {
            this.showResult(result, barcode);
        }
    }

    openLot(line) {
        this.state.lotPrompt = {
            moveId: line.move_id,
            product: line.product,
            needsExpiry: line.uses_expiry,
            serial: line.serial,
            barcode: null,
            quantity: "",
        };
        this.state.lotName = "";
        this.state.lotExpiry = "";
    }

    async onLotKeydown(ev) {
        if (ev.key !== "Enter") {
            return;
        }
        ev.preventDefault();
        const prompt = this.state.lotPrompt;
        if (ev.target === this.lotInput.el && prompt.needsExpiry && !this.state.lotExpiry) {
            this.focus();
            return;
        }
        await this.submitLot();
    }

    async submitLot() {
        const prompt = this.state.lotPrompt;
        const lotName = this.state.lotName.trim();
        if (!lotName) {
            this.state.status = "error";
            this.state.message = _t("Scan or type the lot number first.");
            this.focus();
            return;
        }
        const expiry = this.state.lotExpiry || null;
        let result;
        if (prompt.barcode) {
            // the scan that asked for the lot counts now, into it
            const quantity = prompt.quantity ? parseFloat(prompt.quantity) : null;
            result = await this.call("retail_scan", [prompt.barcode], {
                quantity,
                lot_name: lotName,
                expiration_date: expiry,
            });
        } else {
            result = await this.call("retail_scan_set_lot", [prompt.moveId, lotName, expiry]);
        }
        if (result) {
            this.showResult(result, prompt.barcode);
        }
    }

    cancelLot() {
        this.state.lotPrompt = null;
    }

    openDamaged(line) {
        this.state.damaged = line;
        this.state.damagedQuantity = 1;
        this.state.damagedReason = "";
    }

    async confirmDamaged() {
        const line = this.state.damaged;
        const data = await this.call("retail_report_damaged", [
            line.product_id,
            parseFloat(this.state.damagedQuantity),
            this.state.damagedReason,
        ]);
        if (data) {
            this.state.data = data;
            this.state.damaged = null;
            this.state.status = "ok";
            this.state.message = _t("Damaged units recorded.");
        }
    }

    async validate() {
        const data = await this.call("retail_validate", [this.state.reason]);
        if (data) {
            this.state.data = data;
            this.state.done = true;
            this.state.status = "ok";
            this.state.message = data.done_message;
        }
    }

    back() {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: this.model,
            res_id: this.pickingId,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("retail_inventory.scan_receive", ScanReceive);
