import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { Orderline } from "@point_of_sale/app/components/orderline/orderline";

patch(Orderline.prototype, {
    /** What the line and the receipt say of a marked down lot, or null. */
    get retailMarkdown() {
        const line = this.props.line;
        const step = line?.order_id && line.retailMarkdownStep?.();
        if (!step) {
            return null;
        }
        return {
            label: _t("Near-expiry markdown -%(percent)s (lot %(lots)s)", {
                percent: `${Math.round((step.rate || 0) * 100)}%`,
                lots: (line.pack_lot_ids || []).map((lot) => lot.lot_name).join(", "),
            }),
        };
    },
});
