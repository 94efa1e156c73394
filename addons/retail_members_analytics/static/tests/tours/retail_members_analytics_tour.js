import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("retail_members_analytics_dashboard_tour", {
    url: "/odoo/action-retail_analytics.retail_dashboard_action",
    steps: () => [
        {
            content: "The members' share of sales is a card of the dashboard, beside the basket",
            trigger: ".o_retail_dashboard .o_retail_kpi[data-kpi='member_share'] .o_retail_kpi_value:contains('40.0%')",
            run() {
                const keys = [...document.querySelectorAll(".o_retail_kpi")].map((card) => card.dataset.kpi);
                if (keys[keys.indexOf("basket") + 1] !== "member_share") {
                    throw new Error(`the member share card is not beside the basket: ${keys.join(", ")}`);
                }
            },
        },
        {
            content: "The daily chart draws the member sales beside the sales",
            trigger: ".o_retail_dashboard canvas",
            run() {
                const canvas = document.querySelector(".o_retail_dashboard canvas");
                const chart = window.Chart.getChart(canvas);
                const labels = chart.data.datasets.map((dataset) => dataset.label);
                if (!labels.includes("Member sales")) {
                    throw new Error(`the chart has no member sales: ${labels.join(", ")}`);
                }
            },
        },
    ],
});
