import { Component, useRef, useState, onMounted } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";

export class RetailApprovalPopup extends Component {
    static template = "retail_pos.RetailApprovalPopup";
    static components = { Dialog };
    static props = {
        title: String,
        reason: String,
        getPayload: Function,
        close: Function,
    };

    setup() {
        this.state = useState({ secret: "" });
        this.inputRef = useRef("secret");
        onMounted(() => this.inputRef.el?.focus());
    }

    onKeydown(event) {
        if (event.key === "Enter") {
            this.confirm();
        }
    }

    confirm() {
        this.props.getPayload(this.state.secret.trim());
        this.props.close();
    }

    cancel() {
        this.props.close();
    }
}
