"""The candidates of a competency test as an Excel sheet, one row per candidate with the
fields of the APL-01 application (permohonan sertifikasi kompetensi) already filled in."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook

from vokasi.certificates.models import CertificateState, CompetencyTest, TrainingCertificate
from vokasi.core.masking import mask_nik
from vokasi.core.spreadsheet import append_header, workbook_bytes


def candidates_xlsx(test: CompetencyTest, *, whole_nik: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "APL-01"
    sheet.append([f"{test.body.name} · {test.scheme.name}"])
    sheet.append([f"TUK: {test.test_site} · {test.held_on:%d-%m-%Y}"])
    sheet.append([])
    header = [
        _("No."),
        _("Full name"),
        "NIK",
        _("Place of birth"),
        _("Date of birth"),
        _("Sex"),
        _("Nationality"),
        _("Address"),
        _("Phone"),
        _("Email"),
        _("Schooling"),
        _("Training programme"),
        _("Batch"),
        _("Training certificate number"),
        _("Purpose of assessment"),
    ]
    append_header(sheet, header)
    candidates = (
        test.candidates.select_related("participant__applicant", "participant__batch__programme")
        .prefetch_related(
            Prefetch(
                "participant__certificates",
                queryset=TrainingCertificate.objects.exclude(state=CertificateState.SUPERSEDED),
                to_attr="current_certificates",
            )
        )
        .order_by("participant__batch__code", "participant__number")
    )
    for i, c in enumerate(candidates, start=1):
        p = c.participant.applicant
        current = getattr(c.participant, "current_certificates", [])
        cert = current[0] if current else None
        sheet.append(
            [
                i,
                p.full_name,
                p.nik if whole_nik else mask_nik(p.nik),
                p.birth_place,
                p.birth_date,
                p.get_sex_display(),
                "Indonesia",
                p.address,
                p.phone,
                p.email,
                p.get_schooling_display(),
                c.participant.batch.programme.name,
                c.participant.batch.code,
                cert.number if cert else "",
                "Sertifikasi",
            ]
        )
    for column, width in zip(
        "ABCDEFGHIJKLMNO", (5, 30, 19, 16, 12, 10, 12, 40, 16, 24, 14, 30, 14, 28, 14), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A5"
    return workbook_bytes(book)
