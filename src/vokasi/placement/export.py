"""Excel export of graduates and their current outcome. NIKs are masked unless the viewer
may see them whole; the view that calls this records the export in the audit trail."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from vokasi.core.masking import mask_nik
from vokasi.core.spreadsheet import append_header, workbook_bytes
from vokasi.placement.models import Outcome
from vokasi.training.models import Participant


def placements_xlsx(graduates: Iterable[Participant], *, whole_nik: bool) -> tuple[bytes, int]:
    """The workbook and how many rows it holds. `graduates` come annotated by
    `selectors.graduate_list` with their current outcome, employer, country and date."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Placement")[:31]
    append_header(
        sheet,
        [
            _("Batch"),
            _("No."),
            _("Name"),
            "NIK",
            _("Programme"),
            _("Training ended"),
            _("Outcome"),
            _("Employer"),
            _("Country"),
            _("Recorded"),
        ],
    )
    labels = dict(Outcome.choices)
    n = 0
    for p in graduates:
        at = p.current_at  # type: ignore[attr-defined]
        sheet.append(
            [
                p.batch.code,
                p.number,
                p.applicant.full_name,
                p.applicant.nik if whole_nik else mask_nik(p.applicant.nik),
                p.batch.programme.name,
                p.batch.training_ends,
                str(labels.get(p.current_outcome, "")),  # type: ignore[attr-defined]
                p.current_employer or "",  # type: ignore[attr-defined]
                p.current_country or "",  # type: ignore[attr-defined]
                timezone.localtime(at).replace(tzinfo=None) if at else None,
            ]
        )
        n += 1
    sheet.freeze_panes = "A2"
    return workbook_bytes(book), n
