import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as NumberPopup from "@point_of_sale/../tests/generic_helpers/number_popup_util";
import { scan_barcode } from "@point_of_sale/../tests/generic_helpers/utils";
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("RetailMarkdownApproveTour", {
    steps: () => [
        {
            content: "the proposed markdown of the lot is listed",
            trigger: ".o_data_row td:contains('MILK-MD')",
            run: "click",
        },
        {
            content: "its steps go down as the expiry comes closer",
            trigger: ".o_field_one2many .o_data_row:nth-child(3) .o_data_cell:contains('5.00')",
        },
        {
            content: "approve it",
            trigger: ".o_form_view button[name='action_approve']",
            run: "click",
        },
        {
            content: "the markdown is at the tills",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
    ],
});

registry.category("web_tour.tours").add("RetailMarkdownTillTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            // The lot's GS1 label: (01) the product, (10) the lot.
            scan_barcode("010690000000001410MILK-MD"),
            ProductScreen.selectedOrderlineHas("Markdown Milk", "1", "6.80"),
            {
                content: "the line says why the price is lower",
                trigger: ".order-container .orderline.selected .retail-markdown:contains('-15%')",
            },
            // Another lot of the same product keeps its price.
            scan_barcode("010690000000001410MILK-FULL"),
            ProductScreen.selectedOrderlineHas("Markdown Milk", "1", "8.00"),
            ProductScreen.totalAmountIs("14.80"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the receipt prints the markdown and its lot",
                trigger: ".pos-receipt .retail-markdown:contains('MILK-MD')",
            },
            ReceiptScreen.totalAmountContains("14.80"),
        ].flat(),
});

registry.category("web_tour.tours").add("RetailStockRequestTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickDisplayedProduct("Request Juice"),
            ProductScreen.selectedOrderlineHas("Request Juice", "1"),
            ProductScreen.clickControlButton("Other Stores"),
            {
                content: "the other store holding it is listed with what it can send",
                trigger: ".modal .selection-item:contains('Other Tour Store: 12')",
                run: "click",
            },
            NumberPopup.enterValue("2"),
            NumberPopup.isShown("2"),
            Dialog.confirm(),
            {
                content: "the request is sent",
                trigger: ".o_notification:contains('from Other Tour Store')",
            },
        ].flat(),
});
