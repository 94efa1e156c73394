import { registry } from "@web/core/registry";

// A customer scans the receipt's QR code and asks for a company invoice, in Chinese.
registry.category("web_tour.tours").add("retail_einvoice_portal_tour", {
    steps: () => [
        {
            content: "The page of the receipt opens in Chinese",
            trigger: "h1:contains(电子发票)",
        },
        {
            content: "An invoice for a company",
            trigger: "label[for=buyer_kind_company]:contains(企业)",
            run: "click",
        },
        {
            content: "The invoice title (抬头)",
            trigger: "input[name=buyer_title]",
            run: "edit 北京某某科技有限公司",
        },
        {
            content: "A tax ID with a wrong check character",
            trigger: "input[name=buyer_tax_id]",
            run: "edit 91110000600037341X",
        },
        {
            content: "Submit",
            trigger: "button.o_retail_einvoice_submit:contains(申请开票)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page says what is wrong, in Chinese",
            trigger: ".o_retail_einvoice_error:contains(校验位)",
        },
        {
            content: "The right tax ID (税号)",
            trigger: "input[name=buyer_tax_id]",
            run: "edit 91110000600037341L",
        },
        {
            content: "Submit again",
            trigger: "button.o_retail_einvoice_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is received",
            trigger: ".o_retail_einvoice_done:contains(已收到)",
        },
    ],
});
