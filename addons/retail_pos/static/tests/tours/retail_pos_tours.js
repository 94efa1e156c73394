import * as PosHr from "@pos_hr/../tests/tours/utils/pos_hr_helpers";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/pos/tours/utils/ticket_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as OfflineUtil from "@point_of_sale/../tests/generic_helpers/offline_util";
import * as PartnerList from "@point_of_sale/../tests/pos/tours/utils/partner_list_util";
import * as Combo from "@point_of_sale/../tests/pos/tours/utils/combo_popup_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as NumberPopup from "@point_of_sale/../tests/generic_helpers/number_popup_util";
import * as SelectionPopup from "@point_of_sale/../tests/generic_helpers/selection_popup_util";
import * as Numpad from "@point_of_sale/../tests/generic_helpers/numpad_util";
import { inLeftSide } from "@point_of_sale/../tests/pos/tours/utils/common";
import { scan_barcode, negate } from "@point_of_sale/../tests/generic_helpers/utils";
import { registry } from "@web/core/registry";

/* global posmodel */

function openAsCashier(name) {
    return [
        Chrome.clickBtn("Open Register"),
        PosHr.loginScreenIsShown(),
        PosHr.clickLoginButton(),
        SelectionPopup.has(name, { run: "click" }),
        Dialog.confirm("Open Register"),
        ProductScreen.isShown(),
    ].flat();
}

function approveWith(secret) {
    return [
        {
            content: "manager approval is asked",
            trigger: ".modal .retail-approval-secret",
            run: `edit ${secret}`,
        },
        {
            content: "confirm the approval",
            trigger: ".modal .retail-approval-confirm",
            run: "click",
        },
        {
            content: "approval popup is closed",
            trigger: negate(".modal .retail-approval-secret"),
        },
    ];
}

function clickProductCard(name) {
    return [
        {
            content: `tap product '${name}'`,
            trigger: `article.product .product-content .product-name:contains("${name}")`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("RetailPosScanFirstDiscountTour", {
    steps: () =>
        [
            openAsCashier("Retail Cashier"),

            // Pinyin initials find the Chinese product name.
            ProductScreen.searchProduct("kkl"),
            ProductScreen.productIsDisplayed("可口可乐"),

            // Scan first: tapping a barcoded product asks a manager; a wrong PIN adds nothing.
            clickProductCard("可口可乐"),
            approveWith("000000"),
            {
                content: "the server refused the wrong PIN",
                trigger: ".o_notification:contains('does not approve')",
            },
            ProductScreen.orderIsEmpty(),
            clickProductCard("可口可乐"),
            approveWith("258046"),
            ProductScreen.selectedOrderlineHas("可口可乐", "1"),

            // Scanning needs no approval.
            scan_barcode("6901234567892"),
            ProductScreen.selectedOrderlineHas("可口可乐", "2"),

            // A discount above the 10% limit needs the manager.
            inLeftSide([Numpad.click("%"), Numpad.click("2")]),
            NumberPopup.enterValue("25"),
            NumberPopup.isShown("25"),
            Dialog.confirm(),
            approveWith("258046"),
            ProductScreen.selectedOrderlineHas("可口可乐", "2", "15.00"),

            // A lot past its expiration date cannot be sold without the manager.
            scan_barcode("6900000000017"),
            ProductScreen.enterLotNumber("MILK-OLD", "lot"),
            ProductScreen.selectedOrderlineHas("Fresh Milk", "1"),

            // A combo: the till splits its price over the chosen items; the server accepts it.
            ProductScreen.searchProduct("Tour Lunch"),
            ProductScreen.clickDisplayedProduct("Tour Lunch Set"),
            Combo.select("Tour Burger"),
            Combo.select("Tour Juice"),
            Dialog.confirm(),
            ProductScreen.orderLineHas("Tour Juice", "1"),

            // Pinyin initials find the customer 张三, and only her.
            ProductScreen.clickPartnerButton(),
            {
                content: "search customers by pinyin initials",
                trigger: ".modal-dialog .input-group input",
                run: "edit zs",
            },
            {
                content: "李四 does not match zs",
                trigger: ".modal .partner-list:not(:has(b:contains(李四)))",
            },
            PartnerList.clickPartner("张三"),
            ProductScreen.customerIsSelected("张三"),

            // A fiscal position mapping an included tax to an excluded one keeps the unit price.
            scan_barcode("6900000000024"),
            ProductScreen.selectedOrderlineHas("Rice Wine", "1"),
            ProductScreen.clickFiscalPosition("Incl. to Excl."),
            ProductScreen.totalAmountIs("49.77"),
            {
                content: "try to pay",
                trigger: ".product-screen .pay-order-button",
                run: "click",
            },
            {
                content: "the expired lot is named",
                trigger: ".modal .retail-approval-reason:contains('MILK-OLD')",
            },
            Dialog.cancel(),
            ProductScreen.isShown(),
            {
                content: "try to pay again",
                trigger: ".product-screen .pay-order-button",
                run: "click",
            },
            {
                content: "the expired lot is named again",
                trigger: ".modal .retail-approval-reason:contains('MILK-OLD')",
            },
            approveWith("258046"),
            PaymentScreen.isShown(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the receipt lists the approvals",
                trigger: ".retail-receipt-approvals:contains('Retail Manager')",
            },
            {
                content: "the receipt shows the store",
                trigger: ".retail-receipt-store:contains('Retail Tour Store')",
            },
            {
                content: "the receipt gives the amount in RMB capitals",
                trigger: ".retail-amount-capitals:contains('肆拾玖元柒角柒分')",
            },
            {
                content: "the receipt is headed as a sales receipt (小票), not a ticket",
                trigger: ".pos-receipt .ticket-name-prefix:contains('Sales receipt')",
            },
        ].flat(),
});

registry.category("web_tour.tours").add("RetailPosReturnReceiptTour", {
    steps: () =>
        [
            openAsCashier("Retail Cashier"),
            scan_barcode("6901234567892"),
            scan_barcode("6901234567892"),
            ProductScreen.selectedOrderlineHas("可口可乐", "2"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            // The customer hands over 50 for 20: the till shows the 30 to give back, unsigned.
            PaymentScreen.enterPaymentLineAmount("Cash", "50"),
            {
                content: "the payment screen shows the change to give back as a positive amount",
                trigger: ".payment-status-amount:contains('Change') .amount:contains('30.00'):not(:contains('-'))",
            },
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the receipt shows the change given back as a positive amount",
                trigger: ".pos-receipt .receipt-change:contains('Change'):contains('30.00'):not(:contains('-'))",
            },
            ReceiptScreen.clickNextOrder(),

            // Return one of the two against the receipt.
            ...ProductScreen.clickRefund(),
            TicketScreen.selectOrder("001"),
            ProductScreen.clickNumpad("1"),
            TicketScreen.toRefundTextContains("To Refund: 1"),
            TicketScreen.confirmRefund(),
            PaymentScreen.isShown(),
            // The refund goes back to the tender of the receipt by default.
            PaymentScreen.selectedPaymentlineHas("Cash", "-10.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the receipt names the original receipt",
                trigger: ".retail-receipt-refund",
            },
            ReceiptScreen.clickNextOrder(),

            // A cash drop to the safe is a cash-out outside the limit, witnessed by a manager here.
            Chrome.clickMenuOption("Cash In/Out"),
            {
                content: "enter the amount dropped",
                trigger: ".modal input.o_input",
                run: "edit 5",
            },
            {
                content: "mark the cash-out as a cash drop",
                trigger: ".modal .retail-cash-drop input",
                run: "click",
            },
            Dialog.confirm(),
            approveWith("258046"),
            {
                content: "the cash move popup is closed",
                trigger: negate(".modal .retail-cash-drop"),
            },

            // Blind closing: the cashier counts without seeing what is expected.
            Chrome.clickMenuOption("Close Register"),
            {
                content: "the closing popup asks for the counted cash",
                trigger: ".modal .close-pos-popup .cash-input input",
            },
            {
                content: "the expected cash difference is hidden",
                trigger: negate(".modal .close-pos-popup .cash-difference"),
            },
            {
                content: "the sales total is hidden",
                trigger: negate(".modal .close-pos-popup .total-orders"),
            },
            ProductScreen.closeWithCashAmount("5"),
            {
                content: "still no difference shown after counting",
                trigger: negate(".modal .close-pos-popup .cash-difference"),
            },
        ].flat(),
});

function sellOneCola() {
    return [
        scan_barcode("6901234567892"),
        ProductScreen.selectedOrderlineHas("可口可乐", "1"),
        ProductScreen.clickPayButton(),
        PaymentScreen.clickPaymentMethod("Cash"),
        PaymentScreen.clickValidate(),
        ReceiptScreen.isShown(),
    ].flat();
}

function syncBacklogAndExpect(expectedCalls) {
    return [
        OfflineUtil.setOnlineMode(),
        {
            content: "the till is back online and sends what it holds",
            trigger: "body",
            run: async () => {
                window.retailSyncCalls = [];
                const call = posmodel.data.call.bind(posmodel.data);
                posmodel.data.call = (model, method, args, ...rest) => {
                    if (model === "pos.order" && method === "sync_from_ui") {
                        window.retailSyncCalls.push(args[0].length);
                    }
                    return call(model, method, args, ...rest);
                };
                try {
                    window.dispatchEvent(new Event("online"));
                    const expected = JSON.stringify(expectedCalls);
                    for (let wait = 0; wait < 60; wait++) {
                        if (JSON.stringify(window.retailSyncCalls) === expected) {
                            break;
                        }
                        await new Promise((resolve) => setTimeout(resolve, 100));
                    }
                    // Let a call that should not happen show itself.
                    await new Promise((resolve) => setTimeout(resolve, 500));
                } finally {
                    posmodel.data.call = call;
                }
                const seen = JSON.stringify(window.retailSyncCalls);
                if (seen !== JSON.stringify(expectedCalls)) {
                    throw new Error(
                        `orders per synchronisation call: ${seen}, expected ${JSON.stringify(expectedCalls)}`
                    );
                }
            },
        },
    ];
}

registry.category("web_tour.tours").add("RetailPosBacklogSyncTour", {
    steps: () =>
        [
            openAsCashier("Retail Cashier"),
            // Three sales while the till is offline: one call brings them in.
            OfflineUtil.setOfflineMode(),
            sellOneCola(),
            Dialog.confirm("Continue with limited functionality"),
            ReceiptScreen.clickNextOrder(),
            sellOneCola(),
            ReceiptScreen.clickNextOrder(),
            sellOneCola(),
            ReceiptScreen.clickNextOrder(),
            syncBacklogAndExpect([3]),
            // Three more, the second changed behind the till's back to a price the server
            // refuses: the call of three is refused whole, then the till sends them one by one
            // and the two others are recorded.
            OfflineUtil.setOfflineMode(),
            sellOneCola(),
            Dialog.confirm("Continue with limited functionality"),
            ReceiptScreen.clickNextOrder(),
            sellOneCola(),
            {
                content: "the paid order's price is lowered without approval",
                trigger: "body",
                run: () => {
                    const order = posmodel.getOrder();
                    order.lines[0].price_unit = 1;
                },
            },
            ReceiptScreen.clickNextOrder(),
            sellOneCola(),
            ReceiptScreen.clickNextOrder(),
            syncBacklogAndExpect([3, 1, 1, 1]),
        ].flat(),
});
