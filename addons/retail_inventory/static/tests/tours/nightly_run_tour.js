import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("retail_inventory_nightly_run_again", {
    steps: () => [
        {
            content: "Last night's planning of store B failed: open it",
            trigger: ".o_data_row:contains('Test Store B'):contains('Failed') td[name=store_id]",
            run: "click",
        },
        {
            content: "The run says why, and kept no step",
            trigger: ".alert-danger:contains('28')",
        },
        {
            content: "The settings are fixed: run the store again",
            trigger: "button[name=action_run_again]",
            run: "click",
        },
        {
            content: "The store is planned: its steps are listed",
            trigger: ".o_field_widget[name=step_ids] .o_data_row:contains('Demand forecast')",
        },
        {
            content: "and the error is gone",
            trigger: ".o_form_view:not(:has(.alert-danger:visible))",
        },
    ],
});
