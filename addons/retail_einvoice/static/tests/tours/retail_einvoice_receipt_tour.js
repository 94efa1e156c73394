import { registry } from "@web/core/registry";

// The till sells and prints; the receipt's QR code leads to the e-invoice page, in Chinese.
// The tour continues on that page, so it imports nothing of the till: only the web client's
// registry is there on both pages.
const RECEIPT_QR = ".receipt-screen .pos-receipt img.o_retail_einvoice_qr";

registry.category("web_tour.tours").add("retail_einvoice_receipt_tour", {
    steps: () => [
        {
            content: "open the register",
            trigger: ".login-overlay .open-register-btn",
            run: "click",
        },
        {
            content: "sell a cola",
            trigger: 'article.product .product-content .product-name:contains("可口可乐 330ml")',
            run: "click",
        },
        {
            content: "pay",
            trigger: ".product-screen .pay-order-button",
            run: "click",
        },
        {
            // the till's only payment method, cash, is put on the order for its whole amount
            content: "validate the cash payment",
            trigger: ".payment-screen:has(.paymentline:contains(Cash EVA)) button.validation-button.next.highlight",
            run: "click",
        },
        {
            content: "the receipt carries the e-invoice QR code, and not Odoo's own invoicing code",
            trigger: `${RECEIPT_QR}[src^='data:image/']`,
            run() {
                if (document.querySelector(".pos-receipt #posqrcode")) {
                    throw new Error("the receipt shows Odoo's invoicing QR code besides the e-invoice one");
                }
                const url = new URL(document.querySelector(RECEIPT_QR).dataset.url);
                const reference = document.querySelector(".pos-receipt .o_retail_einvoice_ref").textContent;
                if (
                    url.origin !== window.location.origin ||
                    url.pathname !== "/einvoice/ticket" ||
                    !/^[0-9a-f-]{36}$/.test(url.searchParams.get("access_token")) ||
                    !url.searchParams.get("ref") ||
                    !reference.includes(url.searchParams.get("ref"))
                ) {
                    throw new Error(`unexpected e-invoice link on the receipt: ${url}`);
                }
            },
        },
        {
            content: "the customer scans the code",
            trigger: RECEIPT_QR,
            run() {
                window.location.href = document.querySelector(RECEIPT_QR).dataset.url;
            },
            expectUnloadPage: true,
        },
        {
            content: "the receipt's page opens in Chinese, with the amount of the sale",
            trigger: ".o_retail_einvoice:has(h1:contains(电子发票)):contains(113.00)",
        },
        {
            content: "the invoice title (抬头)",
            trigger: "input[name=buyer_title]",
            run: "edit 张三",
        },
        {
            content: "submit",
            trigger: "button.o_retail_einvoice_submit:contains(申请开票)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the request is received",
            trigger: ".o_retail_einvoice_done:contains(已收到)",
        },
    ],
});
