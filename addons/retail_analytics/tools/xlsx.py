"""A spreadsheet of plain tables: one sheet per table, a bold header, number formats per column
and an optional totals row. Values are written, never formulas, so that any reader (and
openpyxl itself) sees the same figures without recalculating."""

import io
import re
from collections import namedtuple

from openpyxl import Workbook
from openpyxl.styles import Font

Sheet = namedtuple("Sheet", ["title", "columns", "rows", "totals"], defaults=[None])
"""``columns``: ``[(label, kind)]``, the kind giving the number format (``money``, ``integer``,
``quantity``, ``percent``, ``date``, ``datetime``; any other kind, e.g. ``text`` or
``general``, keeps the cell's own); ``rows``: lists of values; ``totals``: a last row, in bold."""

NUMBER_FORMATS = {
    "money": "#,##0.00",
    "integer": "#,##0",
    "quantity": "#,##0.###",
    "percent": "0.0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
INVALID_TITLE_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
MAX_TITLE_LENGTH = 31


def sheet_title(title, taken):
    """A valid, unique sheet title: no ``[]:*?/\\``, at most 31 characters."""
    base = INVALID_TITLE_CHARACTERS.sub(" ", title).strip()[:MAX_TITLE_LENGTH] or "Sheet"
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = base[:MAX_TITLE_LENGTH - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def workbook_bytes(sheets):
    """The ``.xlsx`` file of ``sheets`` (a list of :class:`Sheet`), as bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken = set()
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet_title(sheet.title, taken))
        worksheet.append([label for label, _kind in sheet.columns])
        for cell in worksheet[1]:
            cell.font = bold
        worksheet.freeze_panes = "A2"
        for row in sheet.rows:
            worksheet.append(list(row))
        if sheet.totals is not None:
            worksheet.append(list(sheet.totals))
            for cell in worksheet[worksheet.max_row]:
                cell.font = bold
        for index, (label, kind) in enumerate(sheet.columns, start=1):
            column = worksheet.cell(row=1, column=index).column_letter
            if kind in NUMBER_FORMATS:
                for (cell,) in worksheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = NUMBER_FORMATS[kind]
            widest = max([len(str(label))] + [len(str(row[index - 1])) for row in sheet.rows if row[index - 1]])
            worksheet.column_dimensions[column].width = min(max(10, widest + 2), 60)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
