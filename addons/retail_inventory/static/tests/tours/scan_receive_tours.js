import { registry } from "@web/core/registry";

const MILK = "6901234567892";

function daysAhead(days) {
    const date = new Date();
    date.setDate(date.getDate() + days);
    return date;
}

function isoDate(date) {
    const month = String(date.getMonth() + 1).padStart(2, "0");
    const day = String(date.getDate()).padStart(2, "0");
    return `${date.getFullYear()}-${month}-${day}`;
}

export function scan(barcode) {
    return [
        {
            content: `Scan ${barcode}`,
            trigger: ".o_retail_scan_input",
            run: `edit ${barcode}`,
        },
        {
            content: "The scanner ends with Enter",
            trigger: ".o_retail_scan_input",
            run: "press Enter",
        },
    ];
}

registry.category("web_tour.tours").add("retail_inventory_scan_interstore", {
    steps: () => [
        {
            content: "Open the scan screen",
            trigger: "button[name=action_retail_scan_receive]",
            run: "click",
        },
        {
            content: "Nothing scanned yet",
            trigger: ".o_retail_scan_count:contains('0 / 6')",
        },
        ...[1, 2, 3, 4, 5].flatMap(() => scan("6900000000011")),
        {
            content: "Five of six counted",
            trigger: ".o_retail_scan_count:contains('5 / 6')",
        },
        ...scan("YOG-A-1"),
        {
            content: "The lot counts for its product: all six counted",
            trigger: ".o_retail_scan_line.list-group-item-success .o_retail_scan_count:contains('6 / 6')",
        },
        {
            content: "Validate",
            trigger: ".o_retail_scan_validate",
            run: "click",
        },
        {
            content: "Received",
            trigger: ".o_retail_scan_done",
        },
    ],
});

registry.category("web_tour.tours").add("retail_inventory_scan_supplier_refusals", {
    steps: () => [
        {
            content: "Open the scan screen",
            trigger: "button[name=action_retail_scan_receive]",
            run: "click",
        },
        {
            content: "A cashier cannot type a quantity",
            trigger: ".o_retail_scan_receive:not(:has(.o_retail_scan_quantity))",
        },
        ...scan("6900000000028"),
        {
            content: "The biscuit is not on this receipt: refused",
            trigger: ".o_retail_scan_message.alert-warning:contains('is not expected')",
        },
        {
            content: "It is recorded as a wrong item",
            trigger: ".o_retail_scan_discrepancies:contains('Biscuit')",
        },
        ...scan("6900000000035"),
        ...scan("6900000000035"),
        {
            content: "Two of three bottles of water",
            trigger: ".o_retail_scan_count:contains('2 / 3')",
        },
        ...scan("NOT-A-BARCODE"),
        {
            content: "An unknown barcode is refused too",
            trigger: ".o_retail_scan_message:contains('NOT-A-BARCODE')",
        },
        ...scan(MILK),
        {
            content: "The milk is lot-tracked: its lot is asked",
            trigger: ".o_retail_scan_message.alert-info:contains('lot number of Fresh Milk 1L')",
        },
        {
            content: "Type the lot printed on the carton",
            trigger: ".o_retail_scan_lot .o_retail_scan_lot_name",
            run: "edit MILK-A",
        },
        {
            content: "and its expiry date, in the date picker of the browser",
            trigger: ".o_retail_scan_lot .o_retail_scan_lot_expiry",
            run() {
                // the tour's "edit" cannot fill an empty date input: set it as the picker does
                this.anchor.value = isoDate(daysAhead(40));
                this.anchor.dispatchEvent(new Event("input", { bubbles: true }));
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Count the scanned unit into that lot",
            trigger: ".o_retail_scan_lot_confirm",
            run: "click",
        },
        {
            content: "The first milk is counted into MILK-A",
            trigger: ".o_retail_scan_current_lot:contains('MILK-A')",
        },
        {
            content: "One of four",
            trigger: ".o_retail_scan_line:contains('Fresh Milk') .o_retail_scan_count:contains('1 / 4')",
        },
        ...scan(MILK),
        {
            content: "The next scan counts into the same lot without asking",
            trigger: ".o_retail_scan_line:contains('Fresh Milk') .o_retail_scan_lots:contains('MILK-A: 2')",
        },
        // a GS1 label: product (01), expiry (17) and lot (10)
        ...scan(`010${MILK}17${isoDate(daysAhead(50)).slice(2).replaceAll("-", "")}10MILK-B`),
        {
            content: "The label's lot and expiry are taken: counting into MILK-B",
            trigger: ".o_retail_scan_current_lot:contains('MILK-B')",
        },
        // a label whose GTIN has a wrong check digit is refused and counts nothing
        ...scan(`010${MILK.slice(0, -1)}310MILK-Z`),
        {
            content: "The label is refused, naming its wrong check digit",
            trigger: ".o_retail_scan_message.alert-danger:contains('should be 2')",
        },
        {
            content: "Still three of four",
            trigger: ".o_retail_scan_line:contains('Fresh Milk') .o_retail_scan_count:contains('3 / 4')",
        },
        ...scan(MILK),
        {
            content: "All four milks counted, two per lot",
            trigger:
                ".o_retail_scan_line.list-group-item-success:contains('Fresh Milk') .o_retail_scan_lots:contains('MILK-B: 2')",
        },
        {
            content: "Validate with one bottle short",
            trigger: ".o_retail_scan_validate",
            run: "click",
        },
        {
            content: "Received, with the short bottle recorded",
            trigger: ".o_retail_scan_done",
        },
        {
            content: "Short recorded",
            trigger: ".o_retail_scan_discrepancies:contains('Short')",
        },
    ],
});
