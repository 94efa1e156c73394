"""A platform's payout statement (csv or xlsx) read into rows, all or nothing.

The statement has one row per settled order with four columns, named in English or as the
platforms print them in Chinese: ``order_id`` (订单号), ``gross`` (订单金额), ``commission``
(佣金) and ``net`` (结算金额). :func:`read_statement` returns the rows as
``{"row": n, "order_id": str, "gross": Decimal, "commission": Decimal, "net": Decimal}``
or raises :class:`StatementError` naming the first bad row (counted as a spreadsheet shows it,
the header being row 1). openpyxl (one of Odoo's requirements) reads ``.xlsx``.
"""

import csv
import io
from decimal import Decimal, InvalidOperation

COLUMNS = {
    "order_id": ("order_id", "订单号", "order id"),
    "gross": ("gross", "订单金额", "amount"),
    "commission": ("commission", "佣金", "fee"),
    "net": ("net", "结算金额", "settled"),
}


class StatementError(ValueError):
    def __init__(self, message, row=None):
        super().__init__(f"row {row}: {message}" if row else message)
        self.row = row


def _raw_rows(filename, content):
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        import openpyxl  # noqa: PLC0415 - only xlsx statements need it

        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds on a broken file
            raise StatementError(f"the file is not a readable xlsx workbook ({error})") from None
        sheet = book.worksheets[0]
        return [["" if cell is None else str(cell).strip() for cell in row]
                for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise StatementError("the csv file is not UTF-8") from None
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    raise StatementError("the statement must be a .csv or .xlsx file")


def _amount(value, name, row):
    try:
        amount = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise StatementError(f"{name} {value!r} is not an amount", row) from None
    if not amount.is_finite() or amount != round(amount, 2):
        raise StatementError(f"{name} {value!r} is not an amount in cents", row)
    return amount


def read_statement(filename, content):
    rows = _raw_rows(filename, content)
    if not rows:
        raise StatementError("the statement is empty")
    header = [cell.lower() for cell in rows[0]]
    positions = {}
    for key, names in COLUMNS.items():
        found = [index for index, cell in enumerate(header) if cell in names]
        if not found:
            raise StatementError(f"the header has no column {key} ({' / '.join(names[:2])})", 1)
        positions[key] = found[0]
    result, seen = [], {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        order_id = cells[positions["order_id"]]
        if not order_id:
            raise StatementError("the order id is empty", number)
        if order_id in seen:
            raise StatementError(f"order {order_id} is also on row {seen[order_id]}", number)
        seen[order_id] = number
        gross = _amount(cells[positions["gross"]], "gross", number)
        commission = _amount(cells[positions["commission"]], "commission", number)
        net = _amount(cells[positions["net"]], "net", number)
        if commission < 0 or gross <= 0:
            raise StatementError("gross must be above zero and the commission not below zero", number)
        if gross - commission != net:
            raise StatementError(f"net {net} is not gross {gross} less commission {commission}", number)
        result.append({"row": number, "order_id": order_id, "gross": gross, "commission": commission,
                       "net": net})
    if not result:
        raise StatementError("the statement has no rows")
    return result
