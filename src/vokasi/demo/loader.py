from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from vokasi.demo import accounts, applications, catalog, participants, selection, training
from vokasi.demo import certificates as demo_certificates
from vokasi.demo import placement as demo_placement
from vokasi.regions.models import Region
from vokasi.reports.refresh import refresh as reports_refresh


class RegionsMissing(Exception):
    pass


def load_demo(
    *, today: dt.date | None = None, say: Callable[[str], None] = print
) -> list[tuple[str, str, str]]:
    """Loads the whole demo; returns the demo accounts (username, role, name)."""
    if not Region.objects.filter(code=catalog.BONTANG).exists():
        raise RegionsMissing("Load the region table first: manage.py load_regions")
    today = today or timezone.localdate()
    with transaction.atomic():
        centre = catalog.load_centre()
        programmes = catalog.load_programmes(centre)
        partners = catalog.load_partners()
        funding = catalog.load_funding(today)
        story = catalog.load_story_batches(programmes, funding["APBD Kota Bontang 2025"])
        current = catalog.load_current_batches(programmes, funding, partners, today)
        intake = applications.load_intake(centre, current, today)
        n_applications = applications.load_applications(intake, today)
        closed_on_story_day = [b for b in story if b.training_ends == catalog.STORY_DAY]
        created = participants.load_participants(closed_on_story_day)
        # After the participants: they are among that intake's applicants.
        n_applications += applications.load_story_intake(centre)
        # The batches opened that day were filled by a published, verifiable draw.
        story_round = selection.load_story_round()
        if story_round is not None:
            created += participants.load_admitted(story_round)
        # Schedules, attendance and assessments that agree with each participant's outcome.
        training.load_training()
        # Training certificates of the graduates, BNSP tests for welding and heavy equipment.
        demo_certificates.load_certificates(centre, today=today)
        say(
            f"Demo: {centre.name}, {len(programmes)} programmes, {len(story)} batches of 2025, {created} participants and {n_applications} applications added."
        )
        rows = accounts.load_accounts()
        # Last: placement needs the graduates and the accounts (staff, the Lapas officer).
        demo_placement.load_placement(today=today)
        # The batch running today (inside Lapas Bontang) gets its schedule and the
        # attendance of the days already past.
        training.load_running(timezone.now())
        # The reports' summary table, counted from everything above.
        reports_refresh()
        return rows
