"""Excel exports of the reports: one sheet per table, the filters and the date on top.

Each sheet: row 1 the title, row 2 the filters, row 3 when the figures were counted, row 5
the header, then the rows (and a total). Numbers are numbers, so Excel can add them up.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from vokasi.core.spreadsheet import workbook_bytes
from vokasi.reports.tables import Table

HEADER_ROW = 5


def tables_xlsx(*, title: str, lines: list[str], tables: list[Table]) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    used: set[str] = set()
    for table in tables:
        name = table.title[:31]
        for char in "[]:*?/\\":
            name = name.replace(char, " ")
        base, n = name, 2
        while name in used:
            name = f"{base[:28]} {n}"
            n += 1
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append(["; ".join(lines[:-1]) if len(lines) > 1 else ""])
        sheet.append([lines[-1] if lines else ""])
        sheet.append([table.title])
        sheet.append([str(h) for h in table.header])
        for cell in sheet[HEADER_ROW]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        if table.footer:
            sheet.append(list(table.footer))
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 46
        for i in range(2, len(table.header) + 1):
            sheet.column_dimensions[get_column_letter(i)].width = 14
        sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=2)
    if not tables:
        book.create_sheet(_("Report")[:31]).append([title])
    return workbook_bytes(book)
