"""Every back-office URL, walked as every persona: 200, 403, or off to the login page.

The expected answers are written out here, not derived from the views, so that a view
that forgets its permission fails this test.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from tests.factories import BatchFactory, PartnerFactory
from vokasi.core.models import User

pytestmark = pytest.mark.django_db

STAFF = {"admin", "staff"}
TRAINING = {"admin", "staff", "instructor", "assessor"}
EVERYONE_INSIDE = {"admin", "staff", "instructor", "assessor", "partner_officer", "viewer"}

# url name -> the personas that get a 200 on GET (all others: 403; anonymous: login).
ALLOWED: dict[str, set[str]] = {
    "home": EVERYONE_INSIDE,
    "batches": EVERYONE_INSIDE,
    "batch": EVERYONE_INSIDE,
    "batch_create": STAFF,
    "batch_update": STAFF,
    "programmes": EVERYONE_INSIDE,
    "programme": EVERYONE_INSIDE,
    "programme_create": STAFF,
    "programme_update": STAFF,
    "programme_units": STAFF,
    "funding": EVERYONE_INSIDE,
    "applications": STAFF,
    "application": STAFF,
    "application_create": STAFF,
    "applications_export": STAFF,
    "rounds": STAFF,
    "round": STAFF,
    "round_reservations": STAFF,
    "round_scores": STAFF,
    "round_scores_template": STAFF,
    "round_preview": STAFF,
    "round_offers": STAFF,
    "round_objections": STAFF,
    "document": STAFF,
    "partners": STAFF,
    "audit": {"admin"},
    "certificates": STAFF,
    "certificate_issue": STAFF,
    "certificate": STAFF,
    "certificate_pdf": STAFF,
    "graduate_certificates": STAFF,
    "bnsp_bodies": STAFF,
    "bnsp_tests": STAFF,
    "bnsp_test": STAFF,
    "bnsp_test_export": STAFF,
    "batch_training": TRAINING,
    "batch_roster": STAFF,
    "batch_enrol": STAFF,
    "batch_staffing": STAFF,
    "batch_schedule": TRAINING,
    "batch_schedule_add": STAFF,
    "batch_attendance_export": STAFF,
    "batch_assessment": STAFF | {"assessor"},
    "batch_assessment_import": STAFF | {"assessor"},
    "batch_assessment_export": STAFF | {"assessor"},
    "batch_attitude": STAFF | {"assessor"},
    "session_update": STAFF,
    # The instructor persona teaches the session of `_world()`.
    "session_attendance": STAFF | {"instructor"},
    "session_sheet": STAFF | {"instructor"},
    "my_sessions": STAFF | {"instructor"},
    "my_batches": TRAINING,
    "participant_dropout": STAFF,
    "programme_rule": STAFF,
    # Placement, partners and the inmate programme.
    "partner": STAFF,
    "agreement_file": STAFF,
    "vacancies": STAFF,
    "vacancy_create": STAFF,
    "vacancy": STAFF,
    "vacancy_update": STAFF,
    "placements": STAFF,
    "placements_export": STAFF,
    "placement_participant": STAFF,
    "tracer_report": STAFF | {"viewer"},
    # The partner_officer persona is Lapas Bontang's, where `_world()`'s inmate batch is held.
    "inmate_batches": STAFF | {"partner_officer"},
    "inmate_template": STAFF | {"partner_officer"},
    "inmate_batch": STAFF | {"partner_officer"},
    "inmate_nominate": STAFF | {"partner_officer"},
    "inmate_upload": STAFF | {"partner_officer"},
    "inmate_export": STAFF | {"partner_officer"},
    # Reports: the viewer role (a government office) reads them too.
    "reports": STAFF | {"viewer"},
    "reports_excel": STAFF | {"viewer"},
    "reports_pdf": STAFF | {"viewer"},
    "reports_unmet": STAFF | {"viewer"},
    "reports_unmet_excel": STAFF | {"viewer"},
    "reports_planner": STAFF | {"viewer"},
    "reports_planner_excel": STAFF | {"viewer"},
    "reports_planner_pdf": STAFF | {"viewer"},
}
POST_ONLY = {"batch_transition": STAFF, "reports_refresh": STAFF}
PERSONAS = [
    "admin",
    "staff",
    "instructor",
    "assessor",
    "partner_officer",
    "viewer",
    "applicant_user",
]


def _world() -> dict[str, int]:
    """One of each object the back office's URLs point at."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from tests.factories import ApplicantFactory
    from vokasi.catalog.models import Intake
    from vokasi.intake.models import Application, Document

    batch = BatchFactory()
    intake = Intake.objects.create(centre=batch.programme.centre, name="G", code="REG-ACCESS")
    application = Application.objects.create(
        applicant=ApplicantFactory(),
        intake=intake,
        number="REG-ACCESS-1",
        consent_at=timezone.now(),
    )
    document = Document(
        application=application, kind="ktp", content_type="application/pdf", size=9, sha256="0" * 64
    )
    document.file.save("access.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    from vokasi.selection.models import SelectionRound

    # Published, so that the pages after publication (daftar ulang, objections) answer too.
    round_ = SelectionRound.objects.create(
        intake=intake, name="Seleksi", seed="benih", state="published", published_at=timezone.now()
    )
    import datetime as dt

    from tests.factories import ParticipantFactory
    from vokasi.training.models import Session

    session = Session.objects.create(
        batch=batch,
        date=batch.training_starts,
        starts=dt.time(8),
        ends=dt.time(11),
        jp=4,
        topic="K3",
        instructor=User.objects.filter(username="instruktur").first(),
    )
    participant = ParticipantFactory(batch=batch)
    # The instructor and assessor personas serve this batch (they see only the ones they do).
    from vokasi.training.models import BatchStaff

    for username, role in (("instruktur", "instructor"), ("asesor", "assessor")):
        if (member := User.objects.filter(username=username).first()) is not None:
            BatchStaff.objects.get_or_create(batch=batch, user=member, role=role)
    from tests.certificates.conftest import completed_batch
    from vokasi.certificates.models import CertificationBody, CertificationScheme, CompetencyTest
    from vokasi.certificates.services import certificates_issue_for_batch

    done = completed_batch(graduates=1, others=0, code="ACCESS-DONE")
    certificate = certificates_issue_for_batch(batch=done, actor=None)[0]
    lsp = CertificationBody.objects.create(name="LSP Akses", licence_number="1", kind="P1")
    scheme = CertificationScheme.objects.create(body=lsp, name="Skema", programme=done.programme)
    bnsp_test = CompetencyTest.objects.create(
        body=lsp, scheme=scheme, test_site="TUK BLKI", held_on=done.training_ends
    )
    from tests.factories import PartnerFactory, PrisonBatchFactory
    from vokasi.placement.models import Agreement, Vacancy

    inmate_batch = PrisonBatchFactory(venue_partner=PartnerFactory())
    agreement = Agreement(
        partner=PartnerFactory(), number="1/MoU", scope="x", signed_on=dt.date(2025, 1, 2)
    )
    agreement.file.save("mou.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    vacancy = Vacancy.objects.create(
        employer="PT X", position="Welder", closes_on=dt.date(2030, 1, 1)
    )
    return {
        "inmate": inmate_batch.pk,
        "partner": agreement.partner_id,
        "placement": certificate.participant_id,
        "agreement": agreement.pk,
        "vacancy": vacancy.pk,
        "round": round_.pk,
        "batch": batch.pk,
        "programme": batch.programme_id,
        "intake": intake.pk,
        "application": application.pk,
        "document": document.pk,
        "graduate": certificate.participant_id,
        "certificate_issue": done.pk,
        "certificate": certificate.pk,
        "bnsp_test": bnsp_test.pk,
        "session": session.pk,
        "participant": participant.pk,
    }


def _backoffice_urls(ids: dict[str, int]) -> dict[str, str]:
    resolver = get_resolver()
    patterns = resolver.url_patterns
    backoffice = next(p for p in patterns if getattr(p, "namespace", None) == "backoffice")
    urls = {}
    for pattern in backoffice.url_patterns:  # type: ignore[attr-defined]
        assert isinstance(pattern, URLPattern)
        name = pattern.name
        assert name
        kwargs: dict[str, Any] = {}
        groups = pattern.pattern.regex.groupindex
        if "intake" in groups:
            kwargs["intake"] = ids["intake"]
        if "pk" in groups:
            kwargs["pk"] = ids[
                next(
                    k
                    for k in (
                        "inmate",
                        "agreement",
                        "vacancy",
                        "placement",
                        "partner",
                        "programme",
                        "application",
                        "document",
                        "round",
                        "batch",
                        "session",
                        "participant",
                        "graduate",
                        "certificate_issue",
                        "certificate",
                        "bnsp_test",
                    )
                    if k in name
                )
            ]
        urls[name] = reverse(f"backoffice:{name}", kwargs=kwargs)
    return urls


def test_every_backoffice_url_is_in_the_table() -> None:

    assert set(_backoffice_urls(_world())) == set(ALLOWED) | set(POST_ONLY)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_as_every_persona(
    persona: str, request: pytest.FixtureRequest, client: Client
) -> None:
    PartnerFactory()

    user: User = request.getfixturevalue(persona)
    client.force_login(user)
    for name, url in _backoffice_urls(_world()).items():
        if name in POST_ONLY:
            response = client.get(url)
            assert response.status_code in (403, 405), (name, persona)
            continue
        response = client.get(url)
        expected = 200 if persona in ALLOWED[name] else 403
        assert response.status_code == expected, (name, persona, response.status_code)
        if expected == 200 and response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            if 'class="subnav"' in html:
                menu = html[
                    html.index('class="subnav"') : html.index(
                        "</nav>", html.index('class="subnav"')
                    )
                ]
                assert menu.count('class="active"') <= 1, (name, persona)  # one section lit


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client) -> None:

    for name, url in _backoffice_urls(_world()).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_a_transition_post_by_an_instructor_is_refused_and_changes_nothing(
    client: Client, instructor: User
) -> None:
    batch = BatchFactory()
    client.force_login(instructor)
    response = client.post(
        reverse("backoffice:batch_transition", args=[batch.pk]), {"target": "open"}
    )
    assert response.status_code == 403
    batch.refresh_from_db()
    assert batch.state == "draft"
