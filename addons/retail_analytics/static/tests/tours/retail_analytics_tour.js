import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("retail_analytics_dashboard_tour", {
    url: "/odoo/action-retail_analytics.retail_dashboard_action",
    steps: () => [
        {
            content: "The dashboard shows the sales card",
            trigger: ".o_retail_dashboard .o_retail_kpi[data-kpi='sales'] .o_retail_kpi_value",
        },
        {
            content: "Amounts show the two decimals of the currency, rates one",
            trigger: ".o_retail_dashboard .o_retail_kpi[data-kpi='shrinkage'] .o_retail_kpi_value",
            run() {
                const text = (kpi) =>
                    document.querySelector(`.o_retail_kpi[data-kpi='${kpi}'] .o_retail_kpi_value`).textContent;
                for (const kpi of ["sales", "margin", "basket", "shrinkage"]) {
                    if (!/\d\.\d{2}(?!\d)/.test(text(kpi))) {
                        throw new Error(`${kpi} reads "${text(kpi)}": an amount needs its two decimals`);
                    }
                }
                if (!/^-?[\d,]+\.\d%$/.test(text("margin_rate").trim())) {
                    throw new Error(`the margin rate reads "${text("margin_rate")}"`);
                }
            },
        },
        {
            content: "The sales chart is drawn",
            trigger: ".o_retail_dashboard canvas",
        },
        {
            content: "Open the review queue",
            trigger: ".o_retail_open_review",
            run: "click",
        },
        {
            content: "Open the spike review item",
            trigger: ".o_data_row td:contains('Tour spike')",
            run: "click",
        },
        {
            content: "Start investigating",
            trigger: ".o_form_view button[name='action_investigate']",
            run: "click",
        },
        {
            content: "The item is being investigated and shows its chart",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Investigating')",
        },
        {
            content: "The evidence chart is there",
            trigger: ".o_form_view .o_field_html svg polyline",
        },
    ],
});

registry.category("web_tour.tours").add("retail_analytics_dashboard_empty_tour", {
    url: "/odoo/action-retail_analytics.retail_dashboard_action",
    steps: () => [
        {
            content: "A manager without a store is told why the dashboard is empty",
            trigger: ".o_retail_dashboard .o_retail_dashboard_empty:contains('not linked to any store')",
        },
    ],
});
