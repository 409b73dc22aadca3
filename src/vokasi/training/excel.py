"""Excel for training delivery: the printable attendance sheet (daftar hadir), exports of
attendance and assessments, and the import of assessment results.

The import is two steps in one function: every row is checked and every error listed by
row number; only a file without errors becomes rows to record, and the service records
them in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from vokasi.catalog.models import Batch
from vokasi.core.masking import mask_nik
from vokasi.core.spreadsheet import (
    UnreadableWorkbook,
    WorkbookTooLarge,
    append_header,
    open_workbook,
    workbook_bytes,
)
from vokasi.training.models import (
    ATTITUDE_CRITERIA,
    Attendance,
    AttendanceStatus,
    Participant,
    Result,
    Session,
)
from vokasi.training.selectors import Standing, roster
from vokasi.training.services import AssessmentInput

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MARK = {
    AttendanceStatus.PRESENT: "H",
    AttendanceStatus.LATE: "T",
    AttendanceStatus.EXCUSED: "I",
    AttendanceStatus.ABSENT: "A",
}


def _bytes(book: Workbook) -> bytes:
    return workbook_bytes(book)


def _letterhead(sheet: Worksheet, batch: Batch, width: int) -> int:
    """Writes the centre's letterhead lines, centred over `width` columns; returns the
    next free row."""
    row = 1
    for i, line in enumerate(batch.programme.centre.letterhead_lines):
        sheet.cell(row=row, column=1, value=line).font = Font(bold=i < 2, size=12 if i < 2 else 10)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
        row += 1
    return row + 1


def attendance_sheet_xlsx(session: Session, participants: Sequence[Participant]) -> bytes:
    """Daftar hadir for one session: A4 portrait, one row per participant, a column to sign
    in, the instructor's signature block. NIKs are masked: the sheet lies on a table."""
    batch = session.batch
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Attendance sheet")[:31]
    row = _letterhead(sheet, batch, 4)
    sheet.cell(row=row, column=1, value=_("ATTENDANCE SHEET")).font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    row += 2
    facts = [
        (_("Batch"), f"{batch.name} ({batch.code})"),
        (_("Day, date"), date_format(session.date, "l, j F Y")),
        (_("Time"), f"{session.starts:%H:%M}–{session.ends:%H:%M} ({session.jp} JP)"),
        (_("Unit / topic"), session.subject),
        (_("Instructor"), str(session.instructor or "")),
        (_("Room or workshop"), session.room),
    ]
    for label, value in facts:
        sheet.cell(row=row, column=1, value=str(label))
        sheet.cell(row=row, column=2, value=f": {value}")
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        row += 1
    row += 1
    header = [_("No."), _("Name"), "NIK", _("Signature")]
    for col, text in enumerate(header, start=1):
        cell = sheet.cell(row=row, column=col, value=str(text))
        cell.font = Font(bold=True)
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center")
    first = row
    for p in participants:
        row += 1
        values = [p.number, p.applicant.full_name, mask_nik(p.applicant.nik), ""]
        for col, item in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=item)
            cell.border = BOX
            cell.alignment = Alignment(vertical="center")
        # Numbers staggered left and right, as on paper forms, so signatures do not touch.
        sheet.cell(row=row, column=4, value=f"{p.number}.").alignment = Alignment(
            vertical="top", horizontal="left" if p.number % 2 else "center"
        )
        sheet.row_dimensions[row].height = 26
    row += 3
    sheet.cell(row=row, column=4, value=_("Instructor"))
    sheet.cell(row=row + 4, column=4, value=str(session.instructor or "(.......................)"))
    if session.instructor and session.instructor.nip:
        sheet.cell(row=row + 5, column=4, value=f"NIP {session.instructor.nip}")
    for column, width in zip("ABCD", (6, 36, 20, 26), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.print_title_rows = f"{first}:{first}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return _bytes(book)


def attendance_xlsx(
    batch: Batch, sessions: Sequence[Session], standings: Sequence[Standing], *, whole_nik: bool
) -> bytes:
    """One row per participant, one column per session (H/T/I/A), then the JP totals."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Attendance")[:31]
    marks = {
        (a.participant_id, a.session_id): a.status
        for a in Attendance.objects.filter(session__batch=batch).only(
            "participant_id", "session_id", "status"
        )
    }
    header = [_("No."), _("Name"), "NIK"]
    header += [f"{s.date:%d/%m} {s.starts:%H:%M} ({s.jp})" for s in sessions]
    header += [_("JP attended"), _("JP of the schedule"), _("Attendance %"), _("Status")]
    append_header(sheet, header)
    for st in standings:
        p = st.participant
        sheet.append(
            [
                p.number,
                p.applicant.full_name,
                p.applicant.nik if whole_nik else mask_nik(p.applicant.nik),
            ]
            + [MARK.get(marks.get((p.pk, s.pk), ""), "") for s in sessions]  # type: ignore[call-overload]
            + [st.attended_jp, st.total_jp, round(st.percent, 1), p.get_status_display()]
        )
    sheet.freeze_panes = "D2"
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["C"].width = 19
    sheet.append([])
    sheet.append([_("H = present, T = late, I = excused, A = absent")])
    return _bytes(book)


def assessments_xlsx(batch: Batch, standings: Sequence[Standing], *, whole_nik: bool) -> bytes:
    """The latest result per participant and unit (the import's columns), then attitude."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Assessments")[:31]
    units = {u.pk: u for u in batch.programme.units.all()}
    append_header(sheet, [*IMPORT_HEADER, _("Assessor"), _("Name"), _("No.")])
    for st in standings:
        p = st.participant
        nik = p.applicant.nik if whole_nik else mask_nik(p.applicant.nik)
        for unit in units.values():
            a = st.results.get(unit.pk)
            sheet.append(
                [
                    nik,
                    unit.code,
                    a.result if a else "",
                    a.assessed_on if a else None,
                    a.evidence if a else "",
                    str(a.assessor) if a else "",
                    p.applicant.full_name,
                    p.number,
                ]
            )
    for column, width in zip("ABCDEFGH", (19, 20, 8, 12, 40, 24, 30, 6), strict=True):
        sheet.column_dimensions[column].width = width
    attitude = book.create_sheet(_("Attitude")[:31])
    attitude.append(
        [_("No."), _("Name")] + [str(label) for label in attitude_labels()] + [_("Assessed on")]
    )
    for st in standings:
        att = st.attitude
        attitude.append(
            [st.participant.number, st.participant.applicant.full_name]
            + [getattr(att, c) if att else None for c in ATTITUDE_CRITERIA]
            + [att.assessed_on if att else None]
        )
    return _bytes(book)


def attitude_labels() -> list[str]:
    from vokasi.training.models import AttitudeAssessment

    fields = [AttitudeAssessment._meta.get_field(c) for c in ATTITUDE_CRITERIA]
    return [str(getattr(f, "verbose_name", f.name)) for f in fields]


# --- import -------------------------------------------------------------------------------

# The sheet is read by people at the centre: Indonesian column names (English ones are read too).
IMPORT_HEADER = ("NIK", "Kode unit", "Hasil", "Tanggal", "Bukti")
# Headers are recognised in either language, whatever the case.
_HEADER_NAMES = {
    "nik": "nik",
    "no.": "number",
    "no": "number",
    "nomor": "number",
    "unit code": "unit",
    "kode unit": "unit",
    "result": "result",
    "hasil": "result",
    "date": "date",
    "tanggal": "date",
    "evidence": "evidence",
    "bukti": "evidence",
}
MAX_ROWS = 5000


@dataclass(frozen=True)
class ImportCheck:
    rows: list[AssessmentInput]
    errors: list[tuple[int, str]]  # (row number in the sheet, what is wrong)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
            except ValueError:
                continue
    return None


class _Unreadable(Exception):
    pass


def _rows_of(book: Workbook) -> Iterator[tuple[object, ...]]:
    """The first sheet's rows, one at a time. Read-only mode parses the sheet while it is
    read, so a file cut off halfway fails only here: that becomes `_Unreadable`."""
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    except Exception as error:  # any unreadable upload gets the same answer
        raise _Unreadable from error


def assessments_import_check(batch: Batch, data: bytes, *, today: dt.date) -> ImportCheck:
    """Reads an uploaded workbook and checks every row; writes nothing."""
    unreadable = ImportCheck([], [(0, _("The file is not an Excel workbook (.xlsx)."))])
    try:
        book = open_workbook(data, read_only=True)
    except WorkbookTooLarge as error:
        return ImportCheck([], [(0, str(error))])
    except UnreadableWorkbook:
        return unreadable
    try:
        return _check_rows(batch, _rows_of(book), today=today)
    except _Unreadable:
        return unreadable
    finally:
        book.close()


def _check_rows(
    batch: Batch, lines: Iterator[tuple[object, ...]], *, today: dt.date
) -> ImportCheck:
    head = next(lines, None)
    columns: dict[str, int] = {}
    for i, title in enumerate(head or ()):
        key = _HEADER_NAMES.get(str(title or "").strip().lower())
        if key and key not in columns:
            columns[key] = i
    missing = [name for name in ("nik", "unit", "result", "date") if name not in columns]
    if missing:
        return ImportCheck(
            [],
            [
                (
                    1,
                    _("Wrong columns: the first row must name %(columns)s.")
                    % {"columns": ", ".join(IMPORT_HEADER)},
                )
            ],
        )
    people = list(roster(batch))
    by_nik = {p.applicant.nik: p for p in people}
    by_number = {p.number: p for p in people}
    units = {u.code.strip().upper(): u for u in batch.programme.units.all()}
    rows: list[AssessmentInput] = []
    errors: list[tuple[int, str]] = []
    seen: set[tuple[int, int]] = set()
    for number, line in enumerate(lines, start=2):
        if number > MAX_ROWS + 1:
            errors.append((number, _("Too many rows; split the file.")))
            break
        values = list(line) + [None] * (len(head or ()) + 1)

        def cell(name: str, values: list[object] = values) -> object:
            return values[columns[name]] if name in columns else None

        if all(v in (None, "") for v in values):
            continue
        raw = cell("nik")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # Excel turned the NIK into a number
        nik = str(raw or "").strip().replace(" ", "").replace("'", "")
        code = str(cell("unit") or "").strip().upper()
        result = str(cell("result") or "").strip().upper()
        when = _as_date(cell("date"))
        problems = []
        participant = by_nik.get(nik)
        if participant is None and "*" in nik:
            # A masked NIK (an export for someone without the personal-data right) is
            # accepted with the participant number, when the two agree.
            given = cell("number")
            candidate = by_number.get(given) if isinstance(given, int) else None
            if candidate is not None and mask_nik(candidate.applicant.nik) == nik:
                participant = candidate
        if participant is None:
            shown = nik if "*" in nik else mask_nik(nik)
            problems.append(_("NIK %(nik)s is not on the roster.") % {"nik": shown})
        elif participant.status == Participant.Status.DROPPED:
            problems.append(
                _("%(name)s has dropped out.") % {"name": participant.applicant.full_name}
            )
        unit = units.get(code)
        if unit is None:
            problems.append(
                _("Unit %(code)s is not in this batch's programme.") % {"code": code or "–"}
            )
        if result not in Result.values:
            problems.append(
                _("Result %(value)s: write K (competent) or BK (not yet competent).")
                % {"value": result or "–"}
            )
        if when is None:
            problems.append(_("The date is missing or not a date."))
        elif not (batch.training_starts <= when <= today):
            problems.append(_("The date must be within training and not in the future."))
        if participant is not None and unit is not None:
            if (participant.pk, unit.pk) in seen:
                problems.append(_("The same participant and unit appear twice."))
            seen.add((participant.pk, unit.pk))
        if problems:
            errors.extend((number, str(p)) for p in problems)
            continue
        assert participant is not None and unit is not None and when is not None
        rows.append(
            AssessmentInput(
                participant=participant,
                unit=unit,
                result=result,
                assessed_on=when,
                evidence=str(cell("evidence") or "")[:250],
            )
        )
    if not rows and not errors:
        errors.append((2, _("The file has no rows.")))
    return ImportCheck(rows, errors)
