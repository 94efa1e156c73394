import { Component, onWillStart, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

export class RetailDashboard extends Component {
    static template = "retail_analytics.RetailDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.canvasRef = useRef("salesChart");
        this.chart = null;
        this.state = useState({ data: null, storeId: false, days: 28, loading: true });
        // ask for the figures at once, not after the chart library: a user who leaves the
        // dashboard while it loads must not get an error from a call made after it closed
        onWillStart(() => Promise.all([loadBundle("web.chartjs_lib"), this.load()]));
        useEffect(
            () => this.renderChart(),
            () => [this.state.data]
        );
        onWillUnmount(() => this.chart && this.chart.destroy());
    }

    async load() {
        this.state.loading = true;
        this.state.data = await this.orm.call("retail.dashboard", "get_kpis", [], {
            store_id: this.state.storeId || false,
            days: this.state.days,
        });
        this.state.loading = false;
    }

    async onStoreChange(ev) {
        this.state.storeId = parseInt(ev.target.value) || false;
        await this.load();
    }

    async onDaysChange(ev) {
        this.state.days = parseInt(ev.target.value) || 28;
        await this.load();
    }

    get cards() {
        const periods = this.state.data.periods;
        const current = periods.current;
        const card = (key, label, kind, compare = true) => ({
            key,
            label,
            kind,
            value: current[key] || 0,
            lastWeek: compare ? periods.last_week[key] || 0 : null,
            lastYear: compare ? periods.last_year[key] || 0 : null,
        });
        return [
            card("sales", _t("Sales"), "money"),
            card("margin", _t("Gross Margin"), "money"),
            card("margin_rate", _t("Margin %"), "percent"),
            card("tickets", _t("Tickets"), "int"),
            card("basket", _t("Average Basket"), "money"),
            card("sell_through", _t("Sell-through %"), "percent", false),
            card("stock_turnover", _t("Stock Turnover (per year)"), "ratio", false),
            card("stockout_rate", _t("Stockout Rate %"), "percent", false),
            card("shrinkage", _t("Shrinkage"), "money", false),
        ];
    }

    format(value, kind) {
        if (value === null || value === undefined) {
            return "";
        }
        if (kind === "int") {
            return Math.round(value).toLocaleString();
        }
        if (kind === "money") {
            // an amount shows all the decimals of its currency: ¥ 0.00, not ¥ 0.0
            const currency = this.state.data.currency;
            const text = value.toLocaleString(undefined, {
                minimumFractionDigits: currency.digits,
                maximumFractionDigits: currency.digits,
            });
            return currency.position === "before" ? `${currency.symbol} ${text}` : `${text} ${currency.symbol}`;
        }
        const digits = kind === "ratio" ? 2 : 1;
        const text = value.toLocaleString(undefined, {
            minimumFractionDigits: digits,
            maximumFractionDigits: digits,
        });
        return kind === "percent" ? `${text}%` : text;
    }

    delta(card, previous) {
        if (previous === null || !previous) {
            return null;
        }
        return ((card.value - previous) / Math.abs(previous)) * 100;
    }

    deltaClass(value) {
        return value === null ? "text-muted" : value >= 0 ? "text-success" : "text-danger";
    }

    formatDelta(value) {
        return value === null ? "—" : `${value >= 0 ? "+" : ""}${value.toFixed(1)}%`;
    }

    renderChart() {
        if (this.chart) {
            this.chart.destroy();
            this.chart = null;
        }
        if (!this.canvasRef.el || !this.state.data) {
            return;
        }
        const periods = this.state.data.periods;
        const length = this.state.days;
        const series = (period) => {
            const values = new Array(length).fill(0);
            for (const point of periods[period].series) {
                if (point.offset >= 0 && point.offset < length) {
                    values[point.offset] = point.sales;
                }
            }
            return values;
        };
        const start = new Date(this.state.data.date_from);
        const labels = [...Array(length).keys()].map((i) => {
            const day = new Date(start.getTime() + i * 86400000);
            return day.toISOString().slice(5, 10);
        });
        this.chart = new Chart(this.canvasRef.el, {
            type: "line",
            data: {
                labels,
                datasets: [
                    { label: _t("This period"), data: series("current"), borderColor: "#714b67", tension: 0.2 },
                    { label: _t("A week earlier"), data: series("last_week"), borderColor: "#017e84", borderDash: [4, 4], tension: 0.2 },
                    { label: _t("A year earlier"), data: series("last_year"), borderColor: "#aaaaaa", borderDash: [2, 2], tension: 0.2 },
                ],
            },
            options: { maintainAspectRatio: false, animation: false, plugins: { legend: { position: "bottom" } } },
        });
    }

    openReport(xmlId, viewType) {
        const context = {};
        if (this.state.storeId) {
            context.search_default_retail_store_id = this.state.storeId;
        }
        return this.action.doAction(xmlId, { additionalContext: context, viewType });
    }
}

registry.category("actions").add("retail_analytics.dashboard", RetailDashboard);
