"""Two nominations of one new NIK at the same moment, for two batches: one is saved, the
other gets a message, never a 500 (PostgreSQL; review of issue 8)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from tests.factories import PartnerFactory, PrisonBatchFactory, UserFactory
from vokasi.core.roles import Role
from vokasi.inmates.models import Nomination
from vokasi.inmates.services import NominationError, NomineeData, nomination_create
from vokasi.intake.models import Applicant
from vokasi.regions.models import Region


@pytest.mark.django_db(transaction=True)
def test_one_new_nik_nominated_twice_at_once_gives_a_message() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; this needs PostgreSQL's concurrent transactions")
    from vokasi.regions.services import load_regions

    load_regions(villages=False)
    batches = [PrisonBatchFactory(), PrisonBatchFactory()]  # two classes in the same Lapas
    officer = UserFactory(role=Role.PARTNER, partner=PartnerFactory())
    data = NomineeData(
        nik="6474011203980042",
        full_name="Warga Binaan Kembar",
        birth_place="Bontang",
        birth_date=dt.date(1998, 3, 12),
        sex="M",
        domicile=Region.objects.get(code="647401"),
        schooling=20,
        number="B.I-042/2025",
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def nominate(batch: object) -> None:
        try:
            barrier.wait()
            nomination_create(batch=batch, data=data, actor=officer)  # type: ignore[arg-type]
            outcomes.append("saved")
        except NominationError:
            outcomes.append("message")
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=nominate, args=(b,)) for b in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "saved" in outcomes and all(o in ("saved", "message") for o in outcomes), outcomes
    assert Applicant.objects.filter(nik=data.nik).count() == 1
    assert Nomination.objects.count() == outcomes.count("saved")
