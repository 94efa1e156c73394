import { registry } from "@web/core/registry";
import { scan } from "@retail_inventory/../tests/tours/scan_receive_tours";

// The figures the test computed in Python from the demo chain, set before the tour starts (the
// steps are built once before too, when the test asks whether the tour is ready).
function expected() {
    return JSON.parse(sessionStorage.getItem("retail_demo_expected") || "{}");
}

function number(text) {
    return parseFloat(text.replace(/[^\d.-]/g, ""));
}

function spaced(text) {
    return text.replace(/\s+/g, " ").trim();
}

function assertEqual(actual, wanted, what) {
    const same = typeof wanted === "number" ? Math.abs(actual - wanted) < 0.005 : actual === wanted;
    if (!same) {
        throw new Error(`${what}: the screen shows ${actual}, expected ${wanted}`);
    }
}

function openApp(xmlid) {
    return [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: `Open ${xmlid}`,
            trigger: `.o_app[data-menu-xmlid='${xmlid}']`,
            run: "click",
        },
    ];
}

function openMenu(section, item) {
    return [
        {
            content: `Open the ${section} menu`,
            trigger: `.o_menu_sections [data-menu-xmlid='${section}']`,
            run: "click",
        },
        {
            content: `Open ${item}`,
            trigger: `.dropdown-item[data-menu-xmlid='${item}']`,
            run: "click",
        },
    ];
}

function rowsText(selector) {
    return [...document.querySelectorAll(selector)].map((el) => el.textContent.trim());
}

registry.category("web_tour.tours").add("retail_demo_office_manager", {
    steps: () => {
        const e = expected();
        return [
            ...openApp("retail_base.retail_menu_root"),
            ...openMenu("retail_base.retail_menu_reporting", "retail_analytics.retail_dashboard_menu"),
            {
                content: "The dashboard is in Chinese",
                trigger: ".o_retail_dashboard h2:contains(零售仪表板)",
            },
            {
                content: "The sales of the last 28 days are S01's",
                trigger: ".o_retail_dashboard .o_retail_kpi[data-kpi='sales'] .o_retail_kpi_value",
                run() {
                    assertEqual(number(this.anchor.textContent), e.sales_28_days, "sales of 28 days");
                },
            },
            {
                content: "The chart's last day is yesterday, with S01's sales",
                trigger: ".o_retail_dashboard canvas",
                run() {
                    const chart = window.Chart.getChart(this.anchor);
                    assertEqual(chart.data.datasets[0].data.at(-1), e.sales_yesterday, "yesterday's sales");
                },
            },
            ...openMenu("retail_base.retail_menu_reporting", "retail_analytics.retail_close_pack_menu"),
            {
                content: "Open the latest close pack of S01",
                trigger: `.o_data_row:first-child td[name=retail_store_id]:contains(${e.store})`,
                run: "click",
            },
            {
                content: "It is yesterday's",
                trigger: `.o_form_view .o_field_widget[name=name]:contains(${e.pack_name})`,
            },
            {
                content: "The pack's sales are yesterday's tickets of S01",
                trigger: ".o_form_view .o_field_widget[name=sales_amount]",
                run() {
                    // as Odoo formats it in Chinese: symbol, space (a non-breaking one or not), amount
                    assertEqual(spaced(this.anchor.textContent), spaced(e.pack_sales_text), "the pack's sales");
                },
            },
            {
                content: "and its ticket count",
                trigger: ".o_form_view .o_field_widget[name=ticket_count]",
                run() {
                    assertEqual(number(this.anchor.textContent), e.pack_tickets, "tickets");
                },
            },
            ...openMenu("retail_base.retail_menu_operations", "retail_analytics.retail_review_item_menu"),
            {
                content: "The review queue, in Chinese, lists the week's items of S01 only",
                trigger: ".o_breadcrumb:contains(审核队列)",
            },
            {
                content: "The week's open items of S01, none of S02",
                trigger: ".o_list_view .o_data_row",
                run() {
                    const stores = rowsText(".o_list_view .o_data_row td[name=retail_store_id]");
                    assertEqual(stores.length, e.review_count, "review items");
                    assertEqual(stores.filter((name) => name !== e.store).length, 0, "items of other stores");
                },
            },
            ...openMenu("retail_base.retail_menu_operations", "retail_inventory.retail_receipt_menu"),
            {
                content: "The goods waiting for S01",
                trigger: `.o_list_view .o_data_row td[name=name]:contains(${e.supplier_receipt})`,
                run() {
                    const names = rowsText(".o_list_view .o_data_row td[name=name]");
                    assertEqual(names.length, e.receipt_count, "receipts waiting");
                    assertEqual(names.sort().join(), [...e.receipt_names].sort().join(), "receipts");
                    const foreign = names.filter((name) => e.other_store_receipts.includes(name));
                    assertEqual(foreign.length, 0, "receipts of other stores");
                },
            },
            {
                content: "Open the supplier's delivery",
                trigger: `.o_list_view .o_data_row td[name=name]:contains(${e.supplier_receipt})`,
                run: "click",
            },
            {
                content: "Scan to receive",
                trigger: "button[name=action_retail_scan_receive]",
                run: "click",
            },
            {
                content: "Nothing scanned yet",
                // the empty bar has no width: read its text from the visible track
                trigger: ".progress:has(.o_retail_scan_progress)",
                run() {
                    assertEqual(spaced(this.anchor.textContent), `0 / ${e.receipt_expected}`, "units scanned");
                },
            },
            {
                content: "The line waits for its units",
                trigger: `.o_retail_scan_line:has(small:contains(${e.scan_barcode})) .o_retail_scan_count:contains(0 / ${e.scan_expected})`,
            },
            ...scan(e.scan_barcode),
            {
                content: "One unit counted on its line",
                trigger: `.o_retail_scan_line:has(small:contains(${e.scan_barcode})) .o_retail_scan_count:contains(1 / ${e.scan_expected})`,
            },
            {
                content: "and in the receipt's total",
                trigger: `.progress:has(.o_retail_scan_progress:contains(1 / ${e.receipt_expected}))`,
            },
            ...openMenu("retail_base.retail_menu_operations", "retail_inventory.retail_stocktake_menu"),
            {
                content: "Open the stocktake being counted",
                trigger: `.o_data_row:has(td[name=state]:contains(${e.stocktake_state})) td[name=name]:contains(${e.stocktake})`,
                run: "click",
            },
            {
                content: "It is being counted",
                trigger: `.o_form_view .o_statusbar_status .o_arrow_button_current:contains(${e.stocktake_state})`,
            },
        ];
    },
});

registry.category("web_tour.tours").add("retail_demo_office_hq", {
    steps: () => {
        const e = expected();
        return [
            ...openApp("retail_base.retail_menu_root"),
            ...openMenu("retail_base.retail_menu_reporting", "retail_inventory.retail_stock_report_menu"),
            {
                content: "The chain stock, in Chinese",
                trigger: ".o_breadcrumb:contains(全链库存)",
            },
            {
                content: "Pivot it by store",
                trigger: ".o_switch_view.o_pivot",
                run: "click",
            },
            {
                content: "Every store and the distribution centre has a column",
                trigger: ".o_pivot thead th.o_pivot_header_cell_closed",
                run() {
                    const names = rowsText(".o_pivot thead th.o_pivot_header_cell_closed");
                    assertEqual(names.sort().join(), [...e.warehouses].sort().join(), "stores");
                },
            },
            {
                content: "The chain's total on hand",
                trigger: ".o_pivot tbody tr:first-child td",
                run() {
                    const cells = [...document.querySelectorAll(".o_pivot tbody tr:first-child td")];
                    // the last column is the total: on hand, then near expiry
                    assertEqual(number(cells.at(-2).textContent), e.on_hand, "units on hand");
                },
            },
            ...openMenu("retail_base.retail_menu_operations", "retail_inventory.retail_dispatch_proposal_menu"),
            {
                content: "This morning's dispatch is approved, with its transfers",
                trigger: `.o_data_row:has(td[name=name]:contains(${e.proposal})):has(td[name=state]:contains(${e.proposal_state})) td[name=line_count]`,
                run() {
                    assertEqual(number(this.anchor.textContent), e.proposal_lines, "transfers");
                },
            },
        ];
    },
});

registry.category("web_tour.tours").add("retail_demo_office_finance", {
    steps: () => {
        const e = expected();
        return [
            {
                content: "Finance lands on the accounting dashboard",
                trigger: ".o_action_manager .o_account_kanban .o_kanban_record",
            },
            {
                content: "Open the journal entries",
                trigger: ".o_menu_sections [data-menu-xmlid='account.menu_finance_entries']",
                run: "click",
            },
            {
                content: "Journal entries",
                trigger: ".dropdown-item[data-menu-xmlid='account.menu_action_move_journal_line_form']",
                run: "click",
            },
            {
                content: "Look for yesterday's session of S01",
                trigger: ".o_searchview_input",
                run: `edit ${e.session_ref}`,
            },
            {
                content: "Search",
                trigger: ".o_searchview_input",
                run: "press Enter",
            },
            {
                content: "Its entry carries the session's takings",
                trigger: `.o_data_row:has(td[name=name]:contains(${e.session_entry})) td[name=amount_total_signed]`,
                run() {
                    assertEqual(number(this.anchor.textContent), e.session_total, "session entry");
                },
            },
            {
                content: "Open the accounting reports",
                trigger: ".o_menu_sections [data-menu-xmlid='account.menu_finance_reports']",
                run: "click",
            },
            {
                content: "Points liability",
                trigger: ".dropdown-item[data-menu-xmlid='retail_members.retail_points_liability_report_menu_account']",
                run: "click",
            },
            {
                content: "The points liability, in Chinese",
                trigger: ".o_breadcrumb:contains(积分负债)",
            },
            {
                content: "The total is the members' ledger's",
                trigger: ".o_pivot tbody tr:first-child td",
                run() {
                    const cells = [...document.querySelectorAll(".o_pivot tbody tr:first-child td")];
                    assertEqual(number(cells.at(-1).textContent), e.liability, "points liability");
                },
            },
            {
                content: "Open the analytic items",
                trigger: ".o_menu_sections [data-menu-xmlid='account.menu_finance_entries']",
                run: "click",
            },
            {
                content: "Analytic items",
                trigger: ".dropdown-item[data-menu-xmlid='account.menu_action_analytic_lines_tree']",
                run: "click",
            },
            {
                content: "Open the search options of the analytic items (the list with the stores' plan column)",
                trigger: `.o_list_view th:contains(${e.stores_plan})`,
                run() {
                    document.querySelector(".o_searchview_dropdown_toggler").click();
                },
            },
            {
                content: "Group by the stores' plan",
                trigger: `.o_group_by_menu .o_menu_item:contains(${e.stores_plan})`,
                run: "click",
            },
            {
                content: "S01's revenue",
                trigger: `.o_list_view .o_group_header:contains(${e.store_analytic}) td.o_list_number`,
                run() {
                    const cells = [...this.anchor.closest("tr").querySelectorAll("td.o_list_number")];
                    const values = cells.map((cell) => number(cell.textContent));
                    if (!values.some((value) => Math.abs(value - e.store_revenue) < 0.005)) {
                        throw new Error(`S01's revenue: the screen shows ${values}, expected ${e.store_revenue}`);
                    }
                },
            },
        ];
    },
});
