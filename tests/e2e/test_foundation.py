"""A visitor on a phone finds the open batches, switches to English; staff log in and
open a batch's registration."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.conftest import screenshot
from vokasi.catalog.models import Batch, BatchState
from vokasi.demo.loader import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    from vokasi.regions.services import load_regions

    load_regions(villages=False)  # a transactional test starts from an empty table
    load_demo(today=timezone.localdate(), say=lambda _: None)


def test_phone_visitor_sees_open_batches_and_switches_language(
    demo: None, live_server: Any, phone: Any
) -> None:
    phone.goto(live_server.url + "/")
    assert phone.locator("html").get_attribute("lang") == "id"
    assert phone.get_by_role("heading", name="Dibuka untuk pendaftaran").is_visible()
    assert phone.get_by_text("Operator Alat Berat Angkatan I").first.is_visible()
    # Nothing may be wider than the phone: no sideways scrolling on the home page.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    screenshot(phone, "foundation-home-phone-id")

    phone.get_by_role("button", name="EN").click()
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.get_by_role("heading", name="Open for registration").is_visible()
    screenshot(phone, "foundation-home-phone-en")


def test_staff_logs_in_and_opens_registration_of_a_draft_batch(
    demo: None, live_server: Any, desktop: Any, phone: Any
) -> None:
    today = timezone.localdate()
    draft = Batch.objects.create(
        programme=Batch.objects.get(code="OTO-2025-1").programme,
        funding=Batch.objects.get(code="OTO-2025-1").funding,
        code="OTO-NEXT-1",
        name="Servis Sepeda Motor Angkatan Baru",
        quota=16,
        registration_opens=today,
        registration_closes=today + dt.timedelta(days=14),
        training_starts=today + dt.timedelta(days=30),
        training_ends=today + dt.timedelta(days=90),
    )
    desktop.goto(live_server.url + "/backoffice/")
    assert "/login/" in desktop.url
    desktop.locator("#id_username").fill("staf")
    desktop.locator("#id_password").fill("bontang2025")
    desktop.locator(".login-box button[type=submit]").click()
    desktop.wait_for_url("**/backoffice/")
    screenshot(desktop, "foundation-backoffice-home")

    desktop.goto(f"{live_server.url}/backoffice/paket/{draft.pk}/")
    desktop.get_by_text("Buka pendaftaran", exact=True).click()
    desktop.get_by_role("button", name="Ya, konfirmasi").click()
    desktop.wait_for_load_state()
    assert desktop.get_by_text("Dibuka untuk pendaftaran").first.is_visible()
    screenshot(desktop, "foundation-batch-opened")
    draft.refresh_from_db()
    assert draft.state == BatchState.OPEN

    # On a phone the menu is one sideways row: the current section is scrolled into view
    # and a faded edge shows there is more.
    phone.goto(live_server.url + "/login/?next=/backoffice/laporan/")
    phone.locator("#id_username").fill("staf")
    phone.locator("#id_password").fill("bontang2025")
    phone.locator(".login-box button[type=submit]").click()
    phone.wait_for_url("**/backoffice/laporan/**")
    menu = phone.locator(".subnav").bounding_box()
    active = phone.locator(".subnav a.active").bounding_box()
    assert menu["x"] <= active["x"] and active["x"] + active["width"] <= menu["x"] + menu["width"]
    assert "more-left" in (phone.locator(".subnav").get_attribute("class") or "")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # A table wider than the phone fades at its right edge.
    wide = phone.locator(".table-wrap.more-right")
    assert wide.count() >= 1
    screenshot(phone, "foundation-backoffice-menu-phone")
