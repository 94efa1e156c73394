import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as NumberPopup from "@point_of_sale/../tests/generic_helpers/number_popup_util";
import * as TextInputPopup from "@point_of_sale/../tests/generic_helpers/text_input_popup_util";
import { scan_barcode } from "@point_of_sale/../tests/generic_helpers/utils";
import { registry } from "@web/core/registry";

function memberShown(name, tier, extra = []) {
    return [
        { content: `member ${name} shown`, trigger: `.o_retail_member_banner .o_retail_member_name:contains("${name}")` },
        { content: `tier ${tier} shown`, trigger: `.o_retail_member_banner .o_retail_member_tier:contains("${tier}")` },
        ...extra,
    ];
}

function pay() {
    return [
        ...ProductScreen.clickPayButton(),
        ...PaymentScreen.clickPaymentMethod("Cash"),
        ...PaymentScreen.clickValidate(),
        ...ReceiptScreen.clickNextOrder(),
    ];
}

registry.category("web_tour.tours").add("RetailMembersTillTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),

            // a name or part of a number finds nobody: the lookup never lists members
            { content: "open member search", trigger: ".o_retail_member_button", run: "click" },
            TextInputPopup.inputText("Gold Member"),
            Dialog.confirm("Apply"),
            Dialog.is({ title: "No member found" }),
            Dialog.confirm(),
            { content: "open member search", trigger: ".o_retail_member_button", run: "click" },
            TextInputPopup.inputText("1381234"),
            Dialog.confirm("Apply"),
            Dialog.is({ title: "No member found" }),
            Dialog.confirm(),

            // identify by the full mobile number a member of another store: shown masked
            { content: "open member search", trigger: ".o_retail_member_button", run: "click" },
            TextInputPopup.inputText("138 1234 5678"),
            Dialog.confirm("Apply"),
            memberShown("Gold Member", "T Gold", [
                { content: "masked mobile", trigger: '.o_retail_member_mobile:contains("138****5678")' },
                { content: "balance", trigger: '.o_retail_member_points:contains("1000")' },
            ]),
            // the gold tier discount (5%) applies automatically
            ProductScreen.clickDisplayedProduct("Retail Rice"),
            ProductScreen.totalAmountIs("95.00"),
            { content: "points to earn", trigger: '.o_retail_member_earn:contains("+142")' },
            // partial redemption chosen by the cashier
            { content: "redeem points", trigger: ".o_retail_redeem_button", run: "click" },
            NumberPopup.enterValue("500"),
            Dialog.confirm(),
            ProductScreen.totalAmountIs("90.00"),
            { content: "redeeming shown", trigger: '.o_retail_member_redeem:contains("500")' },
            pay(),

            // identify by scanning the member card
            scan_barcode("0429999999995"),
            memberShown("Silver Member", "T Silver"),
            ProductScreen.clickDisplayedProduct("Retail Rice"),
            ProductScreen.totalAmountIs("98.00"),
            pay(),
        ].flat(),
});
