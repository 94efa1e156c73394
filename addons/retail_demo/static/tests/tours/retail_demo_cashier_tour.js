import * as PosHr from "@pos_hr/../tests/tours/utils/pos_hr_helpers";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as TextInputPopup from "@point_of_sale/../tests/generic_helpers/text_input_popup_util";
import { scan_barcode } from "@point_of_sale/../tests/generic_helpers/utils";
import { inLeftSide } from "@point_of_sale/../tests/pos/tours/utils/common";
import { registry } from "@web/core/registry";

// Figures the test computed from the demo chain before the tour started.
function expected() {
    return JSON.parse(sessionStorage.getItem("retail_demo_expected") || "{}");
}

registry.category("web_tour.tours").add("RetailDemoCashierMorningTour", {
    steps: () => {
        const e = expected();
        return [
            // The till has been open since the morning: the cashier logs in with the PIN
            // the README gives.
            Chrome.startPoS(),
            PosHr.loginScreenIsShown(),
            PosHr.login(e.cashier, e.pin),
            ProductScreen.isShown(),

            // Scan an article from the shelf: its shelf price.
            scan_barcode(e.barcode),
            ProductScreen.selectedOrderlineHas(e.product, "1"),
            ProductScreen.totalAmountIs(e.list_total),

            // The member gives their mobile: found, with their tier, and the tier's price applies.
            { content: "open member search", trigger: ".o_retail_member_button", run: "click" },
            TextInputPopup.inputText(e.phone),
            Dialog.confirm(),
            {
                content: "member found by mobile",
                trigger: `.o_retail_member_banner .o_retail_member_name:contains("${e.member}")`,
            },
            {
                content: "member's tier shown",
                trigger: `.o_retail_member_banner .o_retail_member_tier:contains("${e.tier}")`,
            },
            ProductScreen.totalAmountIs(e.member_total),

            // Paid in cash; the receipt is headed 小票 and shows the total.
            ...ProductScreen.clickPayButton(),
            ...PaymentScreen.clickPaymentMethod(e.cash_method),
            ...PaymentScreen.clickValidate(),
            { content: "the receipt is a sales receipt", trigger: `.pos-receipt:contains("${e.receipt_title}")` },
            ReceiptScreen.receiptAmountTotalIs(e.member_total),
            ReceiptScreen.clickNextOrder(),
            ProductScreen.orderIsEmpty(),
        ].flat();
    },
});

registry.category("web_tour.tours").add("RetailDemoMarkdownTour", {
    steps: () => {
        const e = expected();
        return [
            Chrome.startPoS(),
            PosHr.loginScreenIsShown(),
            PosHr.login(e.cashier, e.pin),
            ProductScreen.isShown(),

            // The product from the near-expiry shelf; the lot is picked from its label.
            scan_barcode(e.barcode),
            { content: "type the lot of the label", trigger: ".o-autocomplete input", run: `edit ${e.lot}` },
            {
                content: "the store's lot is offered: pick it",
                trigger: `.o-autocomplete--dropdown-item a:contains("${e.lot}")`,
                run: "click",
            },
            Dialog.confirm(),
            ProductScreen.selectedOrderlineHas(e.product, "1"),
            inLeftSide([
                {
                    content: "the line says the lot is marked down, in Chinese",
                    trigger: `.order-container .orderline.selected .retail-markdown:contains("临期降价 ${e.percent}")`,
                },
            ]),
            ProductScreen.totalAmountIs(e.total),

            ...ProductScreen.clickPayButton(),
            ...PaymentScreen.clickPaymentMethod(e.cash_method),
            ...PaymentScreen.clickValidate(),
            {
                content: "the receipt prints the markdown and the lot",
                trigger: `.pos-receipt .retail-markdown:contains("${e.lot}")`,
            },
            ReceiptScreen.receiptAmountTotalIs(e.total),
            ReceiptScreen.clickNextOrder(),
            ProductScreen.orderIsEmpty(),
        ].flat();
    },
});
