import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("retail_inventory_dispatch_approve", {
    steps: () => [
        {
            content: "Plan the chain",
            trigger: "button[name=action_plan]",
            run: "click",
        },
        {
            content: "The planner sends the expiring yoghurt lot from A to B",
            trigger: ".o_data_row:contains('Yoghurt 200g'):contains('YOG-A-1'):contains('Test Store B')",
        },
        {
            content: "Edit the planned quantity",
            trigger: ".o_data_row td[name=quantity]",
            run: "click",
        },
        {
            content: "Send 50 instead",
            trigger: ".o_data_row td[name=quantity] input",
            run: "edit 50",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Approve",
            trigger: ".o_form_saved button[name=action_approve]",
            run: "click",
        },
        {
            content: "The transfers are created",
            trigger: "button[name=action_view_pickings]:contains('2')",
            run: "click",
        },
        {
            content: "Ship and receipt through transit",
            trigger: ".o_list_view .o_data_row:nth-child(2)",
        },
    ],
});
