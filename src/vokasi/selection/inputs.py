"""What goes into a draw besides the rules: reserved seats and selection-test scores.

All of them are fixed when the seed is published (the round leaves the draft state): with a
public seed anyone can compute the draw, so a score or a reservation changed afterwards
could be aimed at a result. Hence every write here requires a draft round.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from vokasi.catalog.models import Batch
from vokasi.core.audit import audit_log
from vokasi.core.models import User
from vokasi.core.spreadsheet import (
    RowError,
    append_header,
    cell_text,
    read_sheet,
    workbook_bytes,
)
from vokasi.intake.models import Application, ApplicationStatus
from vokasi.selection.models import Reservation, RoundState, Score, SelectionRound
from vokasi.selection.services import SelectionError

SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(100)
SCORE_COLUMNS = {
    "number": {"Nomor pendaftaran", "Registration number", "Nomor"},
    "score": {"Nilai", "Score"},
}


def _require_draft(round_: SelectionRound) -> None:
    if round_.state != RoundState.DRAFT:
        raise SelectionError(
            _("The seed is published: rules, reserved seats and scores can no longer change.")
        )


def reservation_set(
    *, round_: SelectionRound, batch: Batch, group: str, seats: int, actor: User | None
) -> Reservation | None:
    """Sets how many of the batch's seats are kept for a group; 0 removes the reservation."""
    if group not in Reservation.Group.values:
        raise SelectionError(_("Choose a group from the list."))
    if batch.intake_id != round_.intake_id:
        raise SelectionError(_("This batch is not part of the round's intake."))
    with transaction.atomic():
        locked = SelectionRound.objects.select_for_update().get(pk=round_.pk)
        _require_draft(locked)
        others = sum(r.seats for r in locked.reservations.filter(batch=batch).exclude(group=group))
        if seats < 0 or others + seats > batch.quota:
            raise SelectionError(
                _("At most %(n)d seats of this batch can be reserved in all.") % {"n": batch.quota}
            )
        audit_log(
            actor=actor,
            action="round.reservation",
            obj=locked,
            batch=batch.pk,
            group=group,
            seats=seats,
        )
        if seats == 0:
            locked.reservations.filter(batch=batch, group=group).delete()
            return None
        reservation = locked.reservations.filter(batch=batch, group=group).first()
        if reservation is None:
            # Groups are served in the order they were added.
            order = locked.reservations.filter(batch=batch).count()
            return Reservation.objects.create(
                round=locked, batch=batch, group=group, seats=seats, order=order
            )
        reservation.seats = seats
        reservation.save(update_fields=["seats"])
        return reservation


def _parse_score(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("The score must be a number, e.g. 78.5.")) from None
    if not value.is_finite() or not SCORE_MIN <= value <= SCORE_MAX:
        raise ValueError(_("The score must be between 0 and 100."))
    return value.quantize(Decimal("0.01"))


def _eligible_by_number(round_: SelectionRound) -> dict[str, int]:
    rows = Application.objects.filter(
        intake_id=round_.intake_id, status=ApplicationStatus.ELIGIBLE
    ).values_list("number", "pk")
    return {number: pk for number, pk in rows if number}


def score_set(
    *, round_: SelectionRound, number: str, score: str, actor: User | None
) -> Score | None:
    """One score typed in by staff; an empty score removes it."""
    application = _eligible_by_number(round_).get(number.strip())
    if application is None:
        raise SelectionError(
            _("No eligible application %(number)s in this intake.") % {"number": number}
        )
    value = None
    if score.strip():
        try:
            value = _parse_score(score.strip())
        except ValueError as error:
            raise SelectionError(str(error)) from None
    with transaction.atomic():
        locked = SelectionRound.objects.select_for_update().get(pk=round_.pk)
        _require_draft(locked)
        audit_log(actor=actor, action="round.score", obj=locked, number=number, score=str(value))
        if value is None:
            Score.objects.filter(round=locked, application_id=application).delete()
            return None
        row, _created = Score.objects.update_or_create(
            round=locked, application_id=application, defaults={"score": value}
        )
        return row


@dataclass
class ScoreImport:
    """A checked score file: what would be written, and every error by row."""

    scores: dict[str, Decimal] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.scores)


def scores_check(*, round_: SelectionRound, upload: UploadedFile[bytes]) -> ScoreImport:
    """The dry run: reads the file, writes nothing."""
    sheet = read_sheet(upload, SCORE_COLUMNS)
    result = ScoreImport(errors=list(sheet.errors))
    eligible = _eligible_by_number(round_)
    seen: dict[str, int] = {}
    for row, values in sheet.rows:
        number = cell_text(values["number"])
        if number in seen:
            result.errors.append(
                RowError(
                    row,
                    _("%(number)s is also on row %(row)d.")
                    % {"number": number, "row": seen[number]},
                )
            )
            continue
        seen[number] = row
        if number not in eligible:
            result.errors.append(
                RowError(
                    row,
                    _("No eligible application %(number)s in this intake.") % {"number": number},
                )
            )
            continue
        try:
            result.scores[number] = _parse_score(cell_text(values["score"]))
        except ValueError as error:
            result.errors.append(RowError(row, str(error)))
    if not sheet.errors and not sheet.rows:
        result.errors.append(RowError(0, _("The file has no rows under the header.")))
    return result


def scores_apply(*, round_: SelectionRound, scores: dict[str, Decimal], actor: User | None) -> int:
    """Writes the scores of a checked file, all or nothing."""
    eligible = _eligible_by_number(round_)
    unknown = sorted(set(scores) - set(eligible))
    if unknown:
        raise SelectionError(
            _("No eligible application %(number)s in this intake.") % {"number": unknown[0]}
        )
    with transaction.atomic():
        locked = SelectionRound.objects.select_for_update().get(pk=round_.pk)
        _require_draft(locked)
        ids = {eligible[n]: v for n, v in scores.items()}
        Score.objects.filter(round=locked, application_id__in=ids).delete()
        Score.objects.bulk_create(
            Score(round=locked, application_id=pk, score=value) for pk, value in ids.items()
        )
        audit_log(actor=actor, action="round.scores_import", obj=locked, rows=len(ids))
    return len(ids)


def scores_template(round_: SelectionRound) -> bytes:
    """A sheet of the eligible applications with an empty score column to fill in. Names
    help whoever types the scores; the sheet stays with staff."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Scores")[:31]
    append_header(sheet, ["Nomor pendaftaran", "Nama", "Nilai"])
    scores = {s.application_id: s.score for s in round_.scores.all()}
    for a in (
        Application.objects.filter(intake_id=round_.intake_id, status=ApplicationStatus.ELIGIBLE)
        .select_related("applicant")
        .order_by("number")
    ):
        sheet.append([a.number, a.applicant.full_name, scores.get(a.pk)])
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 34
    sheet.column_dimensions["C"].width = 10
    sheet.freeze_panes = "A2"
    return workbook_bytes(book)


def pass_mark_set(*, round_: SelectionRound, value: str, actor: User | None) -> None:
    """The score at which the rule "passed the selection test" is met; empty removes it."""
    mark = None
    if value.strip():
        try:
            mark = _parse_score(value.strip())
        except ValueError as error:
            raise SelectionError(str(error)) from None
    with transaction.atomic():
        locked = SelectionRound.objects.select_for_update().get(pk=round_.pk)
        _require_draft(locked)
        SelectionRound.objects.filter(pk=locked.pk).update(pass_mark=mark)
        round_.pass_mark = mark
        audit_log(actor=actor, action="round.pass_mark", obj=locked, pass_mark=str(mark))
