"""Staff set up a round, publish the seed, run the draw and publish; the public page shows
the result without personal data; the downloaded files verify with the command line.
(Offers, acceptance and the waiting-list cascade come with the rest of the selection issue.)"""

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
    demo: None, live_server: Any, desktop: Any, tmp_path: Path
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
    page.locator("select[name=intake]").select_option(
        label=f"Pendaftaran APBD {timezone.localdate().year} Gelombang I"
    )
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/backoffice/seleksi/*/")
    page.locator("input[name=rules][value=domicile_funder]").check()
    page.locator("button[name=action][value=rules]").click()
    page.locator("#seed").fill("2026-12-01 Aula BLKI 07-31-52")
    page.locator("button[name=action][value=seed]").click()
    page.locator("button[name=action][value=run]").click()  # the worker runs it at once in tests
    page.reload()
    assert page.locator("text=REG-").first.is_visible()
    screenshot(page, "selection-round-drawn")
    page.locator("details.confirm summary").click()
    page.locator("button[name=action][value=publish]").click()
    page.wait_for_load_state()
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
