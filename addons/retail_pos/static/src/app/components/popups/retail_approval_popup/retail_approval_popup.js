import { Component, useRef, useState, onMounted } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";

/**
 * A store manager picks their name and types their approval PIN (or scans an approval
 * badge). The till only passes it on: the server checks it and signs the approval.
 */
export class RetailApprovalPopup extends Component {
    static template = "retail_pos.RetailApprovalPopup";
    static components = { Dialog };
    static props = {
        title: String,
        reason: String,
        approvers: Array,
        getPayload: Function,
        close: Function,
    };

    setup() {
        this.state = useState({
            secret: "",
            employeeId: this.props.approvers.length === 1 ? this.props.approvers[0].id : null,
        });
        this.inputRef = useRef("secret");
        onMounted(() => this.inputRef.el?.focus());
    }

    selectApprover(employeeId) {
        this.state.employeeId = employeeId;
        this.inputRef.el?.focus();
    }

    onKeydown(event) {
        if (event.key === "Enter") {
            this.confirm();
        }
    }

    get canConfirm() {
        return Boolean(this.state.employeeId && this.state.secret.trim());
    }

    confirm() {
        if (!this.canConfirm) {
            return;
        }
        this.props.getPayload({ employeeId: this.state.employeeId, secret: this.state.secret.trim() });
        this.props.close();
    }

    cancel() {
        this.props.close();
    }
}
