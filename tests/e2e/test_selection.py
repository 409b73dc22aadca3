"""Staff set up a round, publish the seed, run the draw and publish; the public page shows
the result without personal data; the downloaded files verify with the command line; on
their phones one admitted applicant confirms the place and another declines, and the next
on that batch's waiting list receives an offer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.conftest import screenshot
from vokasi.demo.loader import load_demo
from vokasi.intake.models import ApplicationStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    from vokasi.regions.services import load_regions

    load_regions(villages=False)
    load_demo(today=timezone.localdate(), say=lambda _: None)


def test_staff_draw_and_publish_and_anyone_can_verify(
    demo: None, live_server: Any, desktop: Any, phone: Any, tmp_path: Path
) -> None:
    from vokasi.intake.models import Application

    intake_code = f"REG-{timezone.localdate().year}"
    assert Application.objects.filter(
        intake__code=intake_code, status=ApplicationStatus.ELIGIBLE
    ).exists()
    page = desktop
    page.goto(live_server.url + "/login/")
    page.locator("#id_username").fill("staf")
    page.locator("#id_password").fill("bontang2025")
    page.locator(".login-box button[type=submit]").click()
    page.wait_for_url("**/backoffice/")
    page.goto(live_server.url + "/backoffice/seleksi/")
    # The intake waiting for a round is named, and comes first in the list.
    intake_name = f"Pendaftaran APBD {timezone.localdate().year} Gelombang I"
    assert intake_name in page.locator(".msg.warning").inner_text()
    intake = page.locator("select[name=intake] option", has_text=intake_name)
    page.locator("select[name=intake]").select_option(intake.get_attribute("value"))
    page.get_by_role("button", name="Mulai tahap seleksi").click()
    page.wait_for_url("**/backoffice/seleksi/*/")
    page.locator("select[name=place_domicile_funder]").select_option("1")
    # Each button posts a form; wait for the next page before touching it, or a click or a
    # reload can land on the page being left (the cause of an intermittent failure).
    with page.expect_navigation():
        page.locator("button[name=action][value=rules]").click()
    page.locator("#seed").fill("2026-12-01 Aula BLKI 07-31-52")
    page.locator("details.confirm:has(button[value=seed]) summary").click()
    with page.expect_navigation():
        page.locator("button[name=action][value=seed]").click()
    with page.expect_navigation():
        # The test settings run tasks at once, so the draw is done when the page returns.
        page.locator("button[name=action][value=run]").click()
    page.reload()
    assert page.locator("text=REG-").first.is_visible()
    screenshot(page, "selection-round-drawn")
    page.locator("details.confirm:has(button[value=publish]) summary").click()
    with page.expect_navigation():
        page.locator("button[name=action][value=publish]").click()
    public = page.locator("main a[href^='/seleksi/']").first.get_attribute("href")
    assert public

    page.goto(live_server.url + public)
    html = page.content()
    assert "***" in html  # masked names
    screenshot(page, "selection-announcement")
    with page.expect_download() as got:
        page.locator("a[href$='input.json']").click()
    input_path = tmp_path / "input.json"
    got.value.save_as(input_path)
    with page.expect_download() as got:
        page.locator("a[href$='result.json']").click()
    result_path = tmp_path / "result.json"
    got.value.save_as(result_path)
    check = subprocess.run(  # noqa: S603 - our own CLI on files this test saved
        [sys.executable, "-m", "vokasi.allocation", "verify", str(input_path), str(result_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    published = input_path.read_text()
    assert not any(
        nik in published
        for nik in Application.objects.values_list("applicant__nik", flat=True)[:200]
    )

    _applicants_answer_their_offers(live_server, phone)


def _login_as_holder(live_server: Any, page: Any, offer: Any, username: str) -> None:
    from vokasi.core.models import User

    user = User.objects.create_user(
        username, password="rahasia-e2e-1", role="applicant", confirmed_at=timezone.now()
    )
    applicant = offer.application.applicant
    applicant.user = user
    applicant.save()
    page.context.clear_cookies()
    page.goto(live_server.url + "/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("rahasia-e2e-1")
    with page.expect_navigation():
        page.locator(".login-box button[type=submit]").click()
    page.goto(live_server.url + "/pendaftaran/status/")


def _applicants_answer_their_offers(live_server: Any, page: Any) -> None:
    from vokasi.selection.models import Offer, OfferState, SelectionRound

    round_ = SelectionRound.objects.filter(state="published").order_by("-published_at").first()
    assert round_ is not None
    open_offers = list(
        Offer.objects.filter(round=round_, state=OfferState.OPEN)
        .select_related("application__applicant", "batch")
        .order_by("batch__code", "application__number")
    )
    first, second = (
        open_offers[0],
        next(o for o in open_offers[1:] if o.batch_id == open_offers[0].batch_id),
    )

    _login_as_holder(live_server, page, first, "pelamar-e2e-1@contoh.id")
    with page.expect_navigation():
        page.locator("button[name=answer][value=accept]").click()
    assert page.locator(".msg.success").first.is_visible()
    screenshot(page, "selection-offer-accepted-phone")
    first.refresh_from_db()
    assert first.state == OfferState.ACCEPTED

    waiting = list(
        round_.waiting.filter(batch=second.batch)
        .order_by("position")
        .values_list("application_id", flat=True)
    )
    _login_as_holder(live_server, page, second, "pelamar-e2e-2@contoh.id")
    with page.expect_navigation():
        page.locator("button[name=answer][value=decline]").click()
    second.refresh_from_db()
    assert second.state == OfferState.DECLINED
    screenshot(page, "selection-offer-declined-phone")
    newcomer = Offer.objects.get(round=round_, batch=second.batch, application_id=waiting[0])
    assert newcomer.state in (OfferState.OPEN, OfferState.ACCEPTED)
    assert (
        Offer.objects.filter(batch=second.batch, state__in=["open", "accepted"]).count()
        == second.batch.quota
    )
