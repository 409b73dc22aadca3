"""The batch page says what is so, to whom it concerns: links only where they lead, the
same numbers as the batch list, no "0 participants" for a roster kept from the viewer, one
list of instructors, and a history in words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import BatchFactory, ParticipantFactory, PartnerFactory, UserFactory
from vokasi.backoffice.history import ACTION_LABELS, PREFIX_LABELS, action_label
from vokasi.catalog.models import Batch, BatchState, Partner
from vokasi.core.audit import audit_log
from vokasi.core.models import User
from vokasi.core.roles import Role
from vokasi.training.models import BatchStaff, Participant, StaffRole

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "vokasi"


@pytest.fixture(autouse=True)
def _english(client: Client) -> Iterator[None]:
    """Pages in the source language (the UI default is Indonesian)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _page(client: Client, batch: Batch) -> str:
    response = client.get(reverse("backoffice:batch", args=[batch.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def _completed_with_dropout() -> Batch:
    batch = BatchFactory(state=BatchState.COMPLETED, code="DKV-2025-1", quota=16)
    for n in range(1, 5):
        ParticipantFactory(batch=batch, number=n, status=Participant.Status.GRADUATED)
    ParticipantFactory(batch=batch, number=5, status=Participant.Status.DROPPED)
    return batch


# --- links ---------------------------------------------------------------------------------


def test_a_viewer_gets_no_link_to_pages_they_cannot_open(viewer: User, login: Any) -> None:
    batch = _completed_with_dropout()
    client = login(viewer)
    page = _page(client, batch)
    for name in ("batch_training", "batch_schedule"):
        url = reverse(f"backoffice:{name}", args=[batch.pk])
        assert url not in page, name
        assert client.get(url).status_code == 403, name


def test_staff_and_the_batch_s_instructor_get_the_links(
    staff: User, instructor: User, login: Any
) -> None:
    batch = _completed_with_dropout()
    BatchStaff.objects.create(batch=batch, user=instructor, role=StaffRole.INSTRUCTOR)
    for user in (staff, instructor):
        client = login(user)
        page = _page(client, batch)
        for name in ("batch_training", "batch_schedule"):
            url = reverse(f"backoffice:{name}", args=[batch.pk])
            assert url in page, (user.role, name)
            assert client.get(url).status_code == 200, (user.role, name)


# --- numbers -------------------------------------------------------------------------------


def test_the_list_and_the_page_count_the_same_way(staff: User, login: Any) -> None:
    batch = _completed_with_dropout()
    client = login(staff)
    listing = client.get(reverse("backoffice:batches")).content.decode()
    row = listing[listing.index(batch.code) :]
    row = row[: row.index("</tr>")]
    assert "4 / 16 quota, 1 dropped out" in row
    page = _page(client, batch)
    heading = re.search(r"<h2>Participants \((.*?)\)</h2>", page, flags=re.S)
    assert heading is not None and heading.group(1) == "4 / 16 quota, 1 dropped out"


def test_no_dropout_no_dropout_note(staff: User, login: Any) -> None:
    batch = BatchFactory(state=BatchState.RUNNING, quota=12)
    ParticipantFactory(batch=batch, number=1)
    page = _page(login(staff), batch)
    assert "<h2>Participants (1 / 12 quota)</h2>" in page


# --- a roster kept from the viewer ----------------------------------------------------------


def test_a_partner_officer_is_not_told_another_batch_has_no_participants(
    partner_officer: User, login: Any
) -> None:
    batch = _completed_with_dropout()
    page = _page(login(partner_officer), batch)
    assert "not shown to your account" in page
    assert "No participants yet" not in page
    assert not re.search(r"Participants \(\d", page)


def test_a_partner_officer_sees_their_own_prison_s_roster(
    partner_officer: User, login: Any
) -> None:
    prison = partner_officer.partner
    assert prison is not None and prison.kind == Partner.Kind.PRISON
    batch = BatchFactory(
        state=BatchState.RUNNING,
        venue_partner=prison,
        registration_opens=None,
        registration_closes=None,
    )
    ParticipantFactory(batch=batch, number=1, applicant__full_name="Warga Binaan Satu")
    page = _page(login(partner_officer), batch)
    assert "Warga Binaan Satu" in page and "not shown to your account" not in page


def test_an_instructor_of_another_batch_is_not_shown_inmates(login: Any) -> None:
    other = UserFactory(role=Role.INSTRUCTOR)
    batch = BatchFactory(
        state=BatchState.RUNNING,
        venue_partner=PartnerFactory(),
        registration_opens=None,
        registration_closes=None,
    )
    ParticipantFactory(batch=batch, number=1)
    client = login(other)
    page = _page(client, batch)
    assert "not shown to your account" in page
    assert "No participants yet" not in page
    # Nor a link to the training pages, which answer 404 to them.
    url = reverse("backoffice:batch_training", args=[batch.pk])
    assert url not in page and client.get(url).status_code == 404


# --- instructors ----------------------------------------------------------------------------


def test_the_page_names_the_staffed_instructor(staff: User, login: Any) -> None:
    batch = BatchFactory(state=BatchState.RUNNING)
    teacher = UserFactory(role=Role.INSTRUCTOR, full_name="Bambang Supriyadi")
    BatchStaff.objects.create(batch=batch, user=teacher, role=StaffRole.INSTRUCTOR)
    page = _page(login(staff), batch)
    facts = page[page.index("<dt>Instructors</dt>") :]
    assert facts[: facts.index("</dd>")].endswith("Bambang Supriyadi")


def test_before_staffing_the_catalogue_s_instructors(staff: User, login: Any) -> None:
    batch = BatchFactory(state=BatchState.DRAFT)
    batch.instructors.add(UserFactory(role=Role.INSTRUCTOR, full_name="Rina Marlina"))
    page = _page(login(staff), batch)
    facts = page[page.index("<dt>Instructors</dt>") :]
    assert facts[: facts.index("</dd>")].endswith("Rina Marlina")


# --- history --------------------------------------------------------------------------------


def _actions_in_source() -> set[str]:
    """Every action code passed to `audit_log(...)` in the source: the literals of its
    `action=` argument, and the fixed part of f-strings (checked as prefixes)."""
    codes: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        for call in re.finditer(r"audit_log\((.*?)\)\n", text, flags=re.S):
            argument = re.search(r"action=(.*?)(?:,\s*obj=|,\s*\n|\)$)", call.group(1), re.S)
            if argument is None:
                continue
            codes |= set(re.findall(r'(?<!f)"([a-z_]+\.[a-z_]+)"', argument.group(1)))
            codes |= {m + "*" for m in re.findall(r'f"([a-z_]+\.[a-z_]*)\{', argument.group(1))}
    return codes


def test_every_action_in_the_source_has_a_label() -> None:
    codes = _actions_in_source()
    assert {"certificate.issue_batch", "participant.enrol", "session.update"} <= codes
    assert "class_size.*" in codes and "reports.export_*" in codes
    missing = set()
    for code in codes:
        if code.endswith("*"):
            prefix = code[:-1]
            if prefix not in PREFIX_LABELS and not any(c.startswith(prefix) for c in ACTION_LABELS):
                missing.add(code)
        elif code not in ACTION_LABELS:
            missing.add(code)
    assert not missing, sorted(missing)


def test_an_unknown_action_reads_as_words() -> None:
    assert action_label("widget.frob_all") == "Other change: widget frob all"
    assert action_label("reports.export_dashboard_xlsx") == "Report exported"


def test_the_history_shows_no_action_code(staff: User, login: Any) -> None:
    batch = _completed_with_dropout()
    teacher = UserFactory(role=Role.INSTRUCTOR, full_name="Bambang Supriyadi")
    for code in [*ACTION_LABELS, "widget.frob_all", "reports.export_plan_pdf"]:
        audit_log(actor=staff, action=code, obj=batch)
    audit_log(actor=staff, action="batch.staff_add", obj=batch, user=teacher.pk, role="instructor")
    audit_log(actor=staff, action="certificate.issue_batch", obj=batch, count=4, numbers=[])
    audit_log(actor=staff, action="batch.close", obj=batch, graduated=4, not_graduated=0)
    page = _page(login(staff), batch)
    history = page[page.index("<h2>History</h2>") :]
    for code in [*ACTION_LABELS, "widget.frob_all", "reports.export_plan_pdf"]:
        assert f">{code}" not in history and f"{code}<" not in history, code
    assert "Certificates issued (4)" in history
    assert "Participant enrolled" in history and "Attendance recorded" in history
    assert "Added to the staff (Bambang Supriyadi)" in history
    assert "Batch closed: graduation decided (4 graduated, 0 not graduated)" in history
