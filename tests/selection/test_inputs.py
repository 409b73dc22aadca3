"""Reserved seats and scores: set before the seed, imported from Excel with a dry run."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from tests.selection.test_round import _apply, _batch, _round
from vokasi.catalog.models import Intake
from vokasi.core.models import User
from vokasi.intake.models import ApplicationStatus
from vokasi.selection.inputs import (
    reservation_set,
    score_set,
    scores_apply,
    scores_check,
    scores_template,
)
from vokasi.selection.models import Score
from vokasi.selection.services import SelectionError, round_publish_seed

pytestmark = pytest.mark.django_db


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("nilai.xlsx", out.getvalue())


def test_reserved_seats_never_exceed_the_quota_and_freeze_with_the_seed(
    intake: Intake, staff: User
) -> None:
    las = _batch(intake, "LAS-S", quota=4)
    round_ = _round(intake, staff, [])
    reservation_set(round_=round_, batch=las, group="perempuan", seats=3, actor=staff)
    with pytest.raises(SelectionError, match="At most 4"):
        reservation_set(round_=round_, batch=las, group="disabilitas", seats=2, actor=staff)
    reservation_set(round_=round_, batch=las, group="perempuan", seats=1, actor=staff)
    reservation_set(round_=round_, batch=las, group="disabilitas", seats=2, actor=staff)
    assert {r.group: r.seats for r in round_.reservations.all()} == {
        "perempuan": 1,
        "disabilitas": 2,
    }
    with pytest.raises(SelectionError, match="group"):
        reservation_set(round_=round_, batch=las, group="pemuda", seats=1, actor=staff)
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    with pytest.raises(SelectionError, match="seed is published"):
        reservation_set(round_=round_, batch=las, group="perempuan", seats=0, actor=staff)


def test_a_score_typed_in_is_checked_and_can_be_removed(intake: Intake, staff: User) -> None:
    las = _batch(intake, "LAS-S", quota=4)
    a = _apply(intake, 1, "647401", [las])
    round_ = _round(intake, staff, [])
    score_set(round_=round_, number=a.number, score="78,5", actor=staff)
    assert Score.objects.get().score == Decimal("78.50")
    for bad, message in (("abc", "number"), ("101", "between"), ("NaN", "between")):
        with pytest.raises(SelectionError, match=message):
            score_set(round_=round_, number=a.number, score=bad, actor=staff)
    with pytest.raises(SelectionError, match="No eligible application"):
        score_set(round_=round_, number="REG-S-999999", score="50", actor=staff)
    score_set(round_=round_, number=a.number, score="", actor=staff)
    assert not Score.objects.exists()


def test_the_dry_run_lists_every_error_by_row_and_writes_nothing(
    intake: Intake, staff: User
) -> None:
    las = _batch(intake, "LAS-S", quota=4)
    a, b, c = (_apply(intake, i, "647401", [las]) for i in (1, 2, 3))
    c.status = ApplicationStatus.INELIGIBLE
    c.save()
    round_ = _round(intake, staff, [])
    upload = _xlsx(
        [
            ["Nama", "Nomor pendaftaran", "Nilai"],
            ["A", a.number, 80],
            ["B", b.number, "delapan"],
            [None, None, None],
            ["C", c.number, 70],
            ["A lagi", a.number, 81],
            ["X", "REG-S-000777", 90],
            ["B", b.number, 120],
        ]
    )
    checked = scores_check(round_=round_, upload=upload)
    assert [e.row for e in checked.errors] == [3, 5, 6, 7, 8]
    assert not checked.ok
    assert not Score.objects.exists()


def test_a_clean_file_is_applied_all_at_once(intake: Intake, staff: User) -> None:
    las = _batch(intake, "LAS-S", quota=4)
    apps = [_apply(intake, i, "647401", [las]) for i in (1, 2)]
    round_ = _round(intake, staff, [])
    template = load_workbook(io.BytesIO(scores_template(round_)))
    sheet = template.active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == ["Nomor pendaftaran", "Nama", "Nilai"]
    checked = scores_check(
        round_=round_,
        upload=_xlsx(
            [["Score", "Registration number"], [65.5, apps[0].number], [90, apps[1].number]]
        ),
    )
    assert checked.ok, checked.errors
    assert scores_apply(round_=round_, scores=checked.scores, actor=staff) == 2
    assert sorted(Score.objects.values_list("score", flat=True)) == [
        Decimal("65.50"),
        Decimal("90"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not a workbook", "not an Excel workbook"),
        (None, "missing"),
    ],
)
def test_a_wrong_file_is_refused_with_the_reason(
    intake: Intake, staff: User, content: bytes | None, message: str
) -> None:
    round_ = _round(intake, staff, [])
    upload = (
        SimpleUploadedFile("x.xlsx", content)
        if content is not None
        else _xlsx([["NIK", "Skor akhir"], ["6474011203980001", 80]])
    )
    checked = scores_check(round_=round_, upload=upload)
    assert checked.errors and checked.errors[0].row == 0
    assert message in checked.errors[0].message
