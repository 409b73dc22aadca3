"""A selection round: rules, seed before the draw, the draw through the engine, publication."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import ApplicantFactory, BatchFactory, FundingFactory, region
from vokasi import allocation
from vokasi.catalog.models import BatchState, Intake
from vokasi.core.models import AuditEntry, User
from vokasi.intake.models import Application, ApplicationStatus, Choice
from vokasi.selection.models import Reservation, RoundState, SelectionRound
from vokasi.selection.services import (
    SelectionError,
    build_input,
    round_draw,
    round_publish,
    round_publish_seed,
    round_run,
    round_set_rules,
)

pytestmark = pytest.mark.django_db


def _batch(intake: Intake, code: str, quota: int) -> Any:
    today = timezone.localdate()
    return BatchFactory(
        intake=intake,
        code=code,
        quota=quota,
        min_participants=1,
        state=BatchState.SELECTION,
        funding=FundingFactory(region=region("6474")),
        registration_opens=today - dt.timedelta(days=30),
        registration_closes=today - dt.timedelta(days=1),
        training_starts=today + dt.timedelta(days=20),
        training_ends=today + dt.timedelta(days=60),
    )


def _apply(intake: Intake, n: int, district: str, batches: list[Any], **person: Any) -> Application:
    applicant = ApplicantFactory(
        nik=f"{district}1203980{n:03d}", domicile=region(district), **person
    )
    application = Application.objects.create(
        applicant=applicant,
        intake=intake,
        number=f"REG-S-{n:06d}",
        status=ApplicationStatus.ELIGIBLE,
        consent_at=timezone.now(),
    )
    for rank, batch in enumerate(batches, start=1):
        Choice.objects.create(application=application, batch=batch, rank=rank)
    return application


def _round(intake: Intake, staff: User, rules: list[str]) -> SelectionRound:
    round_ = SelectionRound.objects.create(intake=intake, name="Seleksi I")
    round_set_rules(round_=round_, rules=rules, actor=staff)
    return round_


def test_residents_of_the_paying_city_come_first(intake: Intake, staff: User) -> None:
    las = _batch(intake, "LAS-S", quota=2)
    bontang = [_apply(intake, i, "647401", [las]) for i in range(1, 3)]
    samarinda = [_apply(intake, i, "647201", [las]) for i in range(3, 9)]
    round_ = _round(intake, staff, ["domicile_funder"])
    round_publish_seed(round_=round_, seed="2026-11-30 Aula BLKI 17-42-08", actor=staff)
    round_draw(round_=round_)
    admitted = set(round_.outcomes.filter(batch=las).values_list("application__number", flat=True))
    assert admitted == {a.number for a in bontang}
    assert round_.waiting.filter(batch=las).count() == len(samarinda)
    assert round_.state == RoundState.RUN


def test_the_published_files_verify_with_the_engine_and_hold_nothing_personal(
    intake: Intake, staff: User
) -> None:
    las = _batch(intake, "LAS-S", quota=1)
    for i in range(1, 6):
        _apply(
            intake,
            i,
            "647401",
            [las],
            full_name=f"Orang {i}",
            disability="tunadaksa" if i == 5 else "",
        )
    round_ = _round(intake, staff, [])
    Reservation.objects.create(round=round_, batch=las, group="disabilitas", seats=1)
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    round_draw(round_=round_)
    assert round_.outcomes.get(batch=las).application.number == "REG-S-000005"  # the reserved seat
    data, result = bytes(round_.input_file), bytes(round_.result_file)
    assert allocation.verify(allocation.load_problem(data), allocation.load_result(result)) == []
    text = data.decode()
    assert "Orang" not in text and "647401" not in text
    assert json.loads(result)["input_sha256"] == round_.input_sha256


def test_no_draw_without_a_published_seed_and_the_seed_never_changes(
    intake: Intake, staff: User
) -> None:
    round_ = _round(intake, staff, [])
    with pytest.raises(SelectionError, match="seed"):
        round_run(round_=round_, actor=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        SelectionRound.objects.filter(pk=round_.pk).update(state=RoundState.RUN)
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    with pytest.raises(SelectionError):
        round_publish_seed(round_=round_, seed="benih lain", actor=staff)
    assert SelectionRound.objects.get(pk=round_.pk).seed == "benih publik"


def test_a_round_can_be_drawn_again_until_published_then_it_is_locked(
    intake: Intake, staff: User
) -> None:
    las = _batch(intake, "LAS-S", quota=1)
    for i in range(1, 4):
        _apply(intake, i, "647401", [las])
    round_ = _round(intake, staff, [])
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    round_draw(round_=round_)
    first = round_.result_sha256
    round_draw(round_=round_)
    assert round_.result_sha256 == first  # same input, same seed: the same answer
    assert round_.outcomes.count() == 3
    round_publish(round_=round_, actor=staff)
    with pytest.raises(SelectionError):
        round_draw(round_=round_)


def test_the_run_goes_through_the_task_queue(
    intake: Intake, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    las = _batch(intake, "LAS-S", quota=1)
    _apply(intake, 1, "647401", [las])
    round_ = _round(intake, staff, [])
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        round_run(round_=round_, actor=staff)
    round_.refresh_from_db()
    assert round_.state == RoundState.RUN
    assert round_.outcomes.get().batch == las


def test_unknown_rules_are_refused(intake: Intake, staff: User) -> None:
    round_ = SelectionRound.objects.create(intake=intake, name="Seleksi I")
    with pytest.raises(SelectionError):
        round_set_rules(round_=round_, rules=["bribe"], actor=staff)


def test_build_input_leaves_out_ineligible_choices(intake: Intake, staff: User) -> None:
    las, oto = _batch(intake, "LAS-S", quota=1), _batch(intake, "OTO-S", quota=1)
    application = _apply(intake, 1, "647401", [las, oto])
    application.choices.filter(batch=oto).update(eligible=False)
    round_ = _round(intake, staff, ["domicile_funder"])
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    doc = json.loads(build_input(round_))
    (only,) = doc["applicants"]
    assert only["id"] == "REG-S-000001"
    assert only["choices"] == ["LAS-S"]
    assert only.get("tiers", [0]) == [0]


def test_staff_run_a_round_in_the_back_office(
    client: Any, intake: Intake, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    from django.urls import reverse

    las = _batch(intake, "LAS-S", quota=1)
    for i in range(1, 4):
        _apply(intake, i, "647401", [las])
    client.force_login(staff)
    listing = client.get(reverse("backoffice:rounds")).content.decode()
    assert "1 paket dalam seleksi dan belum ada tahap seleksi" in listing
    client.post(reverse("backoffice:rounds"), {"intake": intake.pk})
    again = client.post(reverse("backoffice:rounds"), {"intake": intake.pk}, follow=True)
    assert "sudah memiliki tahap seleksi berstatus draf" in again.content.decode()
    round_ = SelectionRound.objects.get()  # the double click made one round
    assert AuditEntry.objects.filter(action="round.create").count() == 1
    url = reverse("backoffice:round", args=[round_.pk])
    client.post(url, {"action": "rules", "place_domicile_funder": "1"})
    client.post(url, {"action": "seed", "seed": "2026-12-01 Aula BLKI"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "run"})
    round_.refresh_from_db()
    assert round_.state == RoundState.RUN
    admitted = round_.outcomes.get(batch=las).application.number
    page = client.get(url, {"why": "REG-S-000003"}).content.decode()
    assert admitted in page
    assert "REG-S-000003" in page
    client.post(url, {"action": "publish"})
    round_.refresh_from_db()
    assert round_.state == RoundState.PUBLISHED
    assert client.post(url, {"action": "nonsense"}).status_code == 404


def test_announcement_masks_names_and_its_files_verify(
    client: Any, intake: Intake, staff: User
) -> None:
    las = _batch(intake, "LAS-S", quota=1)
    for i in range(1, 4):
        _apply(intake, i, "647401", [las], full_name=f"Muhammad Rizky {i}")
    round_ = _round(intake, staff, ["domicile_funder"])
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    round_draw(round_=round_)
    url = reverse("portal:announcement", args=[round_.pk])
    assert client.get(url).status_code == 404  # drawn but not yet published
    round_publish(round_=round_, actor=staff)
    html = client.get(url).content.decode()
    assert "Muh*** Riz***" in html
    assert "Muhammad Rizky" not in html
    assert "647401" not in html
    data = client.get(reverse("portal:round_file", args=[round_.pk, "input"])).content
    result = client.get(reverse("portal:round_file", args=[round_.pk, "result"])).content
    assert allocation.verify(allocation.load_problem(data), allocation.load_result(result)) == []
    assert client.get(reverse("portal:round_file", args=[round_.pk, "secrets"])).status_code == 404


def test_publishing_tells_each_applicant_their_result(intake: Intake, staff: User) -> None:
    from vokasi.notifications.models import Message

    las = _batch(intake, "LAS-S", quota=1)
    for i in range(1, 4):
        _apply(intake, i, "647401", [las], phone=f"08123456700{i}")
    round_ = _round(intake, staff, [])
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    round_draw(round_=round_)
    round_publish(round_=round_, actor=staff)
    templates = sorted(Message.objects.values_list("template", flat=True))
    assert templates == ["selection_admitted", "selection_waiting", "selection_waiting"]
    waiting = Message.objects.filter(template="selection_waiting").first()
    assert waiting is not None
    assert waiting.body.count("REG-S-") == 1


def test_a_batch_still_taking_registrations_is_left_out_of_the_draw(
    intake: Intake, staff: User
) -> None:
    las = _batch(intake, "LAS-S", quota=1)
    oto = _batch(intake, "OTO-S", quota=1)
    oto.state = BatchState.OPEN
    oto.save()
    _apply(intake, 1, "647401", [oto, las])
    only_oto = _apply(intake, 2, "647401", [oto])
    round_ = _round(intake, staff, [])
    problem = json.loads(build_input(round_))
    assert [b["id"] for b in problem["batches"]] == ["LAS-S"]
    assert only_oto.number not in json.dumps(problem)
    las.state = BatchState.OPEN
    las.save()
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    with pytest.raises(SelectionError, match="close registration"):
        round_run(round_=round_, actor=staff)


def test_the_input_names_a_group_only_where_seats_are_reserved_for_it(
    intake: Intake, staff: User
) -> None:
    las = _batch(intake, "LAS-S", quota=2)
    oto = _batch(intake, "OTO-S", quota=2)
    _apply(intake, 1, "647401", [oto], sex="F", disability="tunarungu")
    _apply(intake, 2, "647401", [las], sex="F", disability="tunarungu")
    round_ = _round(intake, staff, [])
    Reservation.objects.create(round=round_, batch=las, group="perempuan", seats=1)
    applicants = {a["id"]: a for a in json.loads(build_input(round_))["applicants"]}
    # No seat of OTO is reserved: nothing about applicant 1 is published. Applicant 2 chose a
    # batch with seats kept for women: that group, and never the disability, is named.
    assert applicants["REG-S-000001"].get("groups", []) == []
    assert applicants["REG-S-000002"]["groups"] == ["perempuan"]


def test_a_draft_round_made_by_mistake_can_be_deleted_and_only_then(
    client: Any, intake: Intake, staff: User
) -> None:
    _batch(intake, "LAS-S", quota=1)
    mistaken = _round(intake, staff, [])
    client.force_login(staff)
    url = reverse("backoffice:round", args=[mistaken.pk])
    assert client.post(url, {"action": "delete"}).status_code == 302
    assert not SelectionRound.objects.filter(pk=mistaken.pk).exists()
    kept = _round(intake, staff, [])
    round_publish_seed(round_=kept, seed="benih publik", actor=staff)
    client.post(reverse("backoffice:round", args=[kept.pk]), {"action": "delete"})
    assert SelectionRound.objects.filter(pk=kept.pk).exists()


def test_passing_the_selection_test_can_come_before_domicile(intake: Intake, staff: User) -> None:
    from vokasi.selection.inputs import pass_mark_set, score_set

    las = _batch(intake, "LAS-S", quota=1)
    resident = _apply(intake, 1, "647401", [las])  # Kota Bontang, as the funder
    outsider = _apply(intake, 2, "647201", [las])  # Kutai Timur
    round_ = _round(intake, staff, ["score_pass", "domicile_funder"])
    score_set(round_=round_, number=resident.number, score="55", actor=staff)
    score_set(round_=round_, number=outsider.number, score="81", actor=staff)
    with pytest.raises(SelectionError, match="between 0 and 100"):
        pass_mark_set(round_=round_, value="150", actor=staff)
    pass_mark_set(round_=round_, value="70", actor=staff)
    tiers = {a["id"]: a["tiers"][0] for a in json.loads(build_input(round_))["applicants"]}
    # Passed but lives elsewhere (0b01) comes before failed but resident (0b10).
    assert tiers == {outsider.number: 1, resident.number: 2}
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    round_draw(round_=round_)
    assert round_.outcomes.get(batch=las).application == outsider
    with pytest.raises(SelectionError, match="seed is published"):
        pass_mark_set(round_=round_, value="50", actor=staff)


def test_staff_put_the_rules_in_their_own_order(client: Any, intake: Intake, staff: User) -> None:
    round_ = _round(intake, staff, [])
    client.force_login(staff)
    url = reverse("backoffice:round", args=[round_.pk])
    client.post(
        url,
        {
            "action": "rules",
            "place_score_pass": "1",
            "place_domicile_funder": "2",
            "place_unserved_before": "",
        },
    )
    round_.refresh_from_db()
    assert round_.rules == ["score_pass", "domicile_funder"]
    client.post(url, {"action": "rules", "place_domicile_funder": "x99"})  # forged: ignored
    round_.refresh_from_db()
    assert round_.rules == []


def test_a_long_waiting_list_opens_in_full_on_the_round_page(
    client: Any, intake: Intake, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    from django.urls import reverse

    las = _batch(intake, "LAS-S", quota=1)
    for i in range(1, 36):
        _apply(intake, i, "647401", [las])
    round_ = _round(intake, staff, [])
    round_publish_seed(round_=round_, seed="2026-12-01 Aula BLKI", actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        round_run(round_=round_, actor=staff)
    client.force_login(staff)
    page = client.get(reverse("backoffice:round", args=[round_.pk])).content.decode()
    rest = page[page.index('class="waiting-rest"') :]
    rest = rest[: rest.index("</details>")]
    assert "dan 4 lainnya" in rest and rest.count("<li>") == 4  # 34 waiting: 30 shown, 4 more
