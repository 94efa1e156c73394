"""RMB amounts in Chinese capitals (大写), as written on vouchers, invoices and receipts.

The till prints the receipt with its own copy in JavaScript
(``static/src/app/utils/retail_approval.js``, ``retailAmountInCapitals``), so that an offline
till prints it too; a repository test runs both over the same amounts and holds them equal.
"""

import cn2an


def amount_in_capitals(amount):
    """123.45 -> '壹佰贰拾叁元肆角伍分'."""
    rounded = round(abs(amount or 0.0), 2)
    text = cn2an.an2cn(f"{rounded:.2f}", "rmb")
    return f"负{text}" if amount and amount < 0 and rounded else text
