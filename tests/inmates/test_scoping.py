"""A prison's officer sees the people of their own institution and nobody else's, by any
back-office URL or export; inmates never appear on the public site; placement lists and
exports show inmates only to roles allowed to see them."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import subprocess
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from openpyxl import load_workbook

from tests.factories import BatchFactory, PrisonBatchFactory, UserFactory
from vokasi.catalog.models import BatchState, Partner
from vokasi.core.models import User
from vokasi.core.roles import Role
from vokasi.inmates.services import NomineeData, nomination_accept, nomination_create
from vokasi.placement.services import PlacementData, placement_record
from vokasi.regions.models import Region
from vokasi.training.models import Participant

pytestmark = pytest.mark.django_db

SECRET_NAME = "Rahasia Samarinda Tigapuluh"
SECRET_NUMBER = "SMD-B.II-777/2025"
OWN_NAME = "Warga Bontang Satu"


def _nominee(serial: int, name: str, number: str) -> NomineeData:
    return NomineeData(
        nik=f"647401120398{serial:04d}",
        full_name=name,
        birth_place="Bontang",
        birth_date=dt.date(1998, 3, 12),
        sex="M",
        domicile=Region.objects.get(code="647401"),
        schooling=20,
        number=number,
        expected_release=dt.date.today() + dt.timedelta(days=30),
    )


@pytest.fixture
def world(partner_officer: User, staff: User) -> dict[str, Any]:
    """Lapas Bontang (the persona's) and Lapas Samarinda, each with an inmate batch."""
    own_batch = PrisonBatchFactory(venue_partner=partner_officer.partner)
    samarinda = Partner.objects.create(name="Lapas Kelas IIA Samarinda", kind=Partner.Kind.PRISON)
    officer_smd = UserFactory(role=Role.PARTNER, partner=samarinda)
    other_batch = PrisonBatchFactory(venue_partner=samarinda)
    own = nomination_create(
        batch=own_batch, data=_nominee(1, OWN_NAME, "BTG-1"), actor=partner_officer
    )
    secret = nomination_create(
        batch=other_batch, data=_nominee(2, SECRET_NAME, SECRET_NUMBER), actor=officer_smd
    )
    participant = nomination_accept(nomination=secret, actor=staff)
    nomination_accept(nomination=own, actor=staff)
    # The Samarinda batch ends; its inmate graduates and has a placement record.
    other_batch.state = BatchState.COMPLETED
    other_batch.save()
    Participant.objects.filter(pk=participant.pk).update(status=Participant.Status.GRADUATED)
    placement_record(
        participant=participant,
        data=PlacementData(outcome="not_employed"),
        source="staff",
        actor=staff,
    )
    return {
        "ids": {
            other_batch.pk,
            participant.pk,
            secret.pk,
            secret.applicant_id,
            samarinda.pk,
            secret.applicant.inmate.pk,
        },
        "own_batch": own_batch,
        "other_batch": other_batch,
        "participant": participant,
    }


def _text(response: Any) -> str:
    """What a person would read in the response: the page, or the cells of an export."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(
            str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
        )
    if "pdf" in kind:
        return subprocess.run(
            ["/usr/bin/pdftotext", "-", "-"], input=body, capture_output=True, check=True
        ).stdout.decode()
    return body.decode(errors="replace")


def _urls(namespace: str, ids: set[int]) -> list[str]:
    """Every GET-able URL of `namespace`, each integer argument tried with every id."""
    resolver = get_resolver()
    found = next(p for p in resolver.url_patterns if getattr(p, "namespace", None) == namespace)
    urls = []
    for pattern in found.url_patterns:  # type: ignore[attr-defined]
        assert isinstance(pattern, URLPattern)
        groups = list(pattern.pattern.regex.groupindex)
        for values in itertools.product(sorted(ids), repeat=len(groups)):
            try:
                urls.append(
                    reverse(
                        f"{namespace}:{pattern.name}", kwargs=dict(zip(groups, values, strict=True))
                    )
                )
            except Exception:
                break
    return urls


def test_the_officer_reaches_no_other_prisons_people_by_any_backoffice_url(
    client: Client, partner_officer: User, world: dict[str, Any]
) -> None:
    client.force_login(partner_officer)
    urls = _urls("backoffice", world["ids"]) + _urls("notifications", world["ids"])
    assert len(urls) > 40
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404, 405), (url, response.status_code)
        text = _text(response) if response.status_code == 200 else ""
        assert SECRET_NAME not in text, url
        assert SECRET_NUMBER not in text, url
    # My own-prison URLs for the other prison are not found, not forbidden.
    for name in ("inmate_batch", "inmate_nominate", "inmate_upload", "inmate_export"):
        url = reverse(f"backoffice:{name}", args=[world["other_batch"].pk])
        assert client.get(url).status_code == 404, name
        if name != "inmate_export":  # GET only
            assert client.post(url, {"action": "check"}).status_code == 404, name


def test_the_officer_sees_their_own_people_with_their_inmate_fields(
    client: Client, partner_officer: User, world: dict[str, Any]
) -> None:
    client.force_login(partner_officer)
    page = _text(client.get(reverse("backoffice:inmate_batch", args=[world["own_batch"].pk])))
    assert OWN_NAME in page and "BTG-1" in page
    export = _text(client.get(reverse("backoffice:inmate_export", args=[world["own_batch"].pk])))
    assert OWN_NAME in export and "BTG-1" in export
    batches = _text(client.get(reverse("backoffice:inmate_batches")))
    assert world["own_batch"].name in batches and world["other_batch"].name not in batches


def test_staff_see_every_prison_and_the_inmate_in_placement_lists(
    client: Client, staff: User, world: dict[str, Any]
) -> None:
    client.force_login(staff)
    page = _text(client.get(reverse("backoffice:inmate_batch", args=[world["other_batch"].pk])))
    assert SECRET_NAME in page and SECRET_NUMBER in page
    assert SECRET_NAME in _text(client.get(reverse("backoffice:placements_export")))
    detail = reverse("backoffice:placement_participant", args=[world["participant"].pk])
    assert SECRET_NUMBER in _text(client.get(detail))


def test_roles_without_the_inmate_permission_never_get_inmates(
    client: Client, world: dict[str, Any]
) -> None:
    from vokasi.placement.selectors import graduate_list, response_rates

    viewer = UserFactory(role=Role.VIEWER)
    assert not graduate_list(viewer=viewer).exists()
    batches, _ = response_rates(viewer=viewer)
    assert batches == []
    for role in (Role.VIEWER, Role.INSTRUCTOR, Role.ASSESSOR):
        client.force_login(UserFactory(role=role))
        for url in _urls("backoffice", world["ids"]):
            response = client.get(url)
            text = _text(response) if response.status_code == 200 else ""
            assert SECRET_NUMBER not in text, (role, url)


def test_inmates_never_appear_on_the_public_site(client: Client, world: dict[str, Any]) -> None:
    BatchFactory(state=BatchState.OPEN)  # something public to list
    for batch in (world["own_batch"], world["other_batch"]):
        assert client.get(reverse("portal:batch", args=[batch.code])).status_code == 404
    public_ids = world["ids"] | {world["own_batch"].pk}
    for namespace in ("portal",):
        for url in _urls(namespace, public_ids):
            response = client.get(url)
            text = _text(response) if response.status_code == 200 else ""
            assert SECRET_NAME not in text and OWN_NAME not in text, url
            assert world["own_batch"].name not in text, url


def test_instructors_and_assessors_not_serving_the_batch_never_get_its_inmates(
    client: Client, world: dict[str, Any]
) -> None:
    for role in (Role.VIEWER, Role.INSTRUCTOR, Role.ASSESSOR):
        client.force_login(UserFactory(role=role))
        for url in _urls("backoffice", world["ids"]):
            response = client.get(url)
            text = _text(response) if response.status_code == 200 else ""
            assert SECRET_NAME not in text, (role, url)
