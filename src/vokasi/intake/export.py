"""Excel export of applications. NIKs are masked unless the role may see them whole;
every export is recorded in the audit trail by the view that calls this."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from vokasi.core.masking import mask_nik
from vokasi.core.spreadsheet import append_header, workbook_bytes
from vokasi.intake.models import Application


def applications_xlsx(applications: Iterable[Application], *, whole_nik: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Applications")[:31]
    header = [
        _("Registration number"),
        _("Name"),
        "NIK",
        _("Sex"),
        _("Date of birth"),
        _("District (kecamatan)"),
        _("Regency / city"),
        _("Schooling"),
        _("Employment"),
        _("Disability"),
        _("Choices"),
        _("Status"),
        _("Submitted"),
        _("Entered by"),
    ]
    append_header(sheet, header)
    for a in applications:
        p = a.applicant
        sheet.append(
            [
                a.number,
                p.full_name,
                p.nik if whole_nik else mask_nik(p.nik),
                p.get_sex_display(),
                p.birth_date,
                p.domicile.name,
                p.domicile.parent.name if p.domicile.parent else "",
                p.get_schooling_display(),
                p.get_employment_display(),
                p.disability,
                ", ".join(c.batch.code for c in a.choices.all()),
                a.get_status_display(),
                timezone.localtime(a.submitted_at).replace(tzinfo=None),
                str(a.entered_by) if a.entered_by else "",
            ]
        )
    for column, width in zip(
        "ABCDEFGHIJKLMN", (18, 30, 19, 10, 12, 18, 22, 14, 22, 14, 24, 28, 18, 22), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    return workbook_bytes(book)
