import { registry } from "@web/core/registry";

function scan(barcode) {
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
