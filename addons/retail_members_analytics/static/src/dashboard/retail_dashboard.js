import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { RetailDashboard } from "@retail_analytics/dashboard/retail_dashboard";

patch(RetailDashboard.prototype, {
    get cards() {
        const cards = super.cards;
        const periods = this.state.data.periods;
        // beside the tickets and the basket, before the stock figures
        const index = cards.findIndex((card) => card.key === "basket") + 1;
        cards.splice(index, 0, {
            key: "member_share",
            label: _t("Member Share %"),
            kind: "percent",
            value: periods.current.member_share || 0,
            lastWeek: periods.last_week.member_share || 0,
            lastYear: periods.last_year.member_share || 0,
        });
        return cards;
    },

    renderChart() {
        super.renderChart();
        if (!this.chart) {
            return;
        }
        const values = new Array(this.state.days).fill(0);
        for (const point of this.state.data.periods.current.member_series || []) {
            if (point.offset >= 0 && point.offset < values.length) {
                values[point.offset] = point.member_sales;
            }
        }
        this.chart.data.datasets.push({
            label: _t("Member sales"),
            data: values,
            borderColor: "#e4a11b",
            tension: 0.2,
        });
        this.chart.update();
    },
});
