"""factory_boy factories for the catalogue and the people in it."""

from __future__ import annotations

import datetime as dt

import factory

from vokasi.catalog.models import (
    Batch,
    BatchState,
    FundingSource,
    Partner,
    Programme,
    TrainingCentre,
)
from vokasi.core.models import User
from vokasi.core.roles import Role
from vokasi.intake.models import Applicant
from vokasi.regions.models import Region
from vokasi.training.models import Participant


def region(code: str) -> Region:
    """Regions come from the real table (loaded once per test session)."""
    return Region.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCentre
        django_get_or_create = ("short_code",)

    name = "UPTD BLKI Bontang"
    short_code = "BLKI-BTG"
    kind = TrainingCentre.Kind.UPTD_BLKI
    government = "Pemerintah Kota Bontang"
    letterhead = "PEMERINTAH KOTA BONTANG\nUPTD BLKI"
    address = "Jl. Bhayangkara No. 45, Bontang"
    region = factory.LazyFunction(lambda: region("6474"))


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    centre = factory.SubFactory(CentreFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"Pengelasan {n}")
    field = "Teknik Las"
    hours_jp = 240


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    name = "APBD Kota Bontang 2025"
    kind = FundingSource.Kind.APBD_CITY
    body = "Pemerintah Kota Bontang"
    fiscal_year = 2025
    amount = 1_000_000_000


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("name",)

    name = "Lapas Kelas IIA Bontang"
    kind = Partner.Kind.PRISON


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch

    programme = factory.SubFactory(ProgrammeFactory)
    funding = factory.SubFactory(FundingFactory)
    code = factory.Sequence(lambda n: f"B-2025-{n}")
    name = factory.Sequence(lambda n: f"Angkatan {n}")
    cost = 50_000_000
    quota = 16
    min_participants = 10
    registration_opens = dt.date(2025, 5, 1)
    registration_closes = dt.date(2025, 5, 31)
    training_starts = dt.date(2025, 6, 16)
    training_ends = dt.date(2025, 7, 30)
    state = BatchState.DRAFT


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    nik = factory.Sequence(lambda n: f"647401120398{n % 9999 + 1:04d}")
    full_name = factory.Faker("name")
    birth_place = "Bontang"
    birth_date = dt.date(1998, 3, 12)
    sex = "M"
    domicile = factory.LazyFunction(lambda: region("647401"))
    schooling = 30


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    batch = factory.SubFactory(BatchFactory)
    applicant = factory.SubFactory(ApplicantFactory)
    number = factory.Sequence(lambda n: n + 1)


# --- placement and the inmate programme ----------------------------------------------


class PrisonBatchFactory(BatchFactory):
    """A batch held inside Lapas Bontang: nominated, so no public registration window."""

    venue_partner = factory.SubFactory(PartnerFactory)
    registration_opens = None
    registration_closes = None
    state = BatchState.RUNNING


class GraduateFactory(ParticipantFactory):
    """A graduate as training's contract defines one: GRADUATED in a completed batch."""

    batch = factory.SubFactory(BatchFactory, state=BatchState.COMPLETED)
    status = Participant.Status.GRADUATED
