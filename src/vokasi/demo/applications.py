"""Applications for the batches open around the day the demo is loaded (illustrative
figures): heavy equipment draws far more applicants than its 16 seats, as in the report.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vokasi.catalog.models import Batch, BatchState, Intake, Schooling, TrainingCentre
from vokasi.demo.catalog import BONTANG, KUTAI_TIMUR, SAMARINDA
from vokasi.demo.people import PeopleFactory
from vokasi.intake.models import Applicant, Application, ApplicationStatus, Choice
from vokasi.regions.models import Region

# Applicants per batch code prefix; the rest of a programme's demand shows in selection.
DEMAND = {"ALB": 64, "LAS": 28, "BAR": 40}
STATUS_MIX = (
    (ApplicationStatus.ELIGIBLE, 0.55),
    (ApplicationStatus.SUBMITTED, 0.25),
    (ApplicationStatus.DOCUMENTS_TO_FIX, 0.08),
    (ApplicationStatus.INELIGIBLE, 0.07),
    (ApplicationStatus.WITHDRAWN, 0.05),
)


def load_intake(centre: TrainingCentre, batches: list[Batch], today: dt.date) -> Intake:
    intake, _ = Intake.objects.get_or_create(
        code=f"REG-{today.year}",
        defaults={
            "centre": centre,
            "name": f"Pendaftaran APBD {today.year} Gelombang I",
            "max_choices": 3,
        },
    )
    Batch.objects.filter(
        pk__in=[b.pk for b in batches if b.state in (BatchState.OPEN, BatchState.SELECTION)]
    ).update(intake=intake)
    return intake


def load_applications(intake: Intake, today: dt.date) -> int:
    if intake.applications.exists():
        return 0
    # A new year brings a new intake and new people: their NIK serials must not meet last year's.
    people = PeopleFactory(seed=today.year, first_serial=3001 + (today.year % 20) * 100)
    districts = {
        r.code: r
        for r in Region.objects.filter(
            level=Region.Level.DISTRICT, parent__code__in=[BONTANG, SAMARINDA, KUTAI_TIMUR]
        )
    }
    batches = {b.code.split("-")[0]: b for b in intake.batches.all()}
    created = 0
    now = timezone.now()
    for prefix, count in DEMAND.items():
        batch = batches.get(prefix)
        if batch is None:
            continue
        for _ in range(count):
            r = people.random
            sex = "F" if r.random() < (0.05 if prefix in ("ALB", "LAS") else 0.5) else "M"
            regency = r.choices([BONTANG, SAMARINDA, KUTAI_TIMUR], [0.7, 0.15, 0.15])[0]
            person = people.person(
                regency=regency, sex=sex, age_range=(18, 34), on=batch.training_starts
            )
            applicant = Applicant.objects.create(
                nik=person.nik,
                kk=person.kk,
                full_name=person.full_name,
                birth_place=person.birth_place,
                birth_date=person.birth_date,
                sex=person.sex,
                address=person.address,
                domicile=districts[person.district],
                phone=person.phone,
                schooling=max(
                    r.choice([Schooling.SMP, Schooling.SMA, Schooling.SMK, Schooling.SMK]),
                    batch.programme.min_schooling,
                ),
            )
            status = r.choices([s for s, _ in STATUS_MIX], [w for _, w in STATUS_MIX])[0]
            if batch.state == BatchState.SELECTION and status in (
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.DOCUMENTS_TO_FIX,
            ):
                status = ApplicationStatus.ELIGIBLE  # verification finished before selection
            application = Application.objects.create(
                applicant=applicant,
                intake=intake,
                status=status,
                consent_at=now - dt.timedelta(days=r.randint(1, 10)),
                status_reason="Foto KTP tidak terbaca, mohon unggah ulang."
                if status == ApplicationStatus.DOCUMENTS_TO_FIX
                else "",
            )
            application.number = f"{intake.code}-{application.pk:06d}"
            application.save(update_fields=["number"])
            choices = [
                batch,
                *[b for p, b in batches.items() if p != prefix and r.random() < 0.3][:2],
            ]
            Choice.objects.bulk_create(
                Choice(
                    application=application,
                    batch=b,
                    rank=rank,
                    eligible=status != ApplicationStatus.INELIGIBLE,
                    ineligible_reason="Usia melebihi batas program."
                    if status == ApplicationStatus.INELIGIBLE
                    else "",
                )
                for rank, b in enumerate(choices, 1)
            )
            created += 1
    return created


# The batches opened on 30 July 2025 drew far more applicants than their 48 seats
# (illustrative figures, not the centre's records).
STORY_INTAKE_APPLICANTS = 800


def load_story_intake(centre: TrainingCentre) -> int:
    """The intake that filled the three batches opened on 30 July 2025: ~800 applications
    for 48 seats, mostly from Bontang, a few ineligible or with documents to fix."""
    batches = list(
        Batch.objects.filter(code__in=["OTO-2025-1", "LIS-2025-1", "DKV-2025-1"]).select_related(
            "programme"
        )
    )
    if len(batches) != 3:
        return 0
    intake, created = Intake.objects.get_or_create(
        code="REG-2025-2",
        defaults={"centre": centre, "name": "Pendaftaran APBD 2025 Gelombang II", "max_choices": 3},
    )
    if not created and intake.applications.exists():
        return 0
    Batch.objects.filter(pk__in=[b.pk for b in batches]).update(intake=intake)
    people = PeopleFactory(seed=20250615, first_serial=5001)
    districts = {
        r.code: r
        for r in Region.objects.filter(
            level=Region.Level.DISTRICT, parent__code__in=[BONTANG, SAMARINDA, KUTAI_TIMUR]
        )
    }
    r = people.random
    applicants = [
        _new_applicant(people, districts, batches[0].training_starts)
        for _ in range(STORY_INTAKE_APPLICANTS)
    ]
    Applicant.objects.bulk_create(applicants)
    registration_day = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)
    rows = []
    for i, applicant in enumerate(applicants, start=1):
        status = r.choices(
            [
                ApplicationStatus.ELIGIBLE,
                ApplicationStatus.INELIGIBLE,
                ApplicationStatus.DOCUMENTS_TO_FIX,
                ApplicationStatus.WITHDRAWN,
            ],
            [0.86, 0.07, 0.03, 0.04],
        )[0]
        rows.append(
            Application(
                applicant=applicant,
                intake=intake,
                number=f"REG-2025-2-{i:06d}",
                status=status,
                consent_at=registration_day + dt.timedelta(hours=r.randint(0, 24 * 40)),
            )
        )
    Application.objects.bulk_create(rows)
    for row in rows:
        row.submitted_at = row.consent_at
    Application.objects.bulk_update(rows, ["submitted_at"], batch_size=500)
    choices = []
    for row in rows:
        order = r.sample(batches, k=r.choice([1, 2, 2, 3]))
        for rank, batch in enumerate(order, start=1):
            choices.append(
                Choice(
                    application=row,
                    batch=batch,
                    rank=rank,
                    eligible=row.status != ApplicationStatus.INELIGIBLE,
                )
            )
    Choice.objects.bulk_create(choices, batch_size=1000)
    return len(rows)


def _new_applicant(people: PeopleFactory, districts: dict[str, Region], on: dt.date) -> Applicant:
    r = people.random
    sex = "F" if r.random() < 0.35 else "M"
    regency = r.choices([BONTANG, SAMARINDA, KUTAI_TIMUR], [0.72, 0.14, 0.14])[0]
    person = people.person(regency=regency, sex=sex, age_range=(18, 34), on=on)
    return Applicant(
        nik=person.nik,
        kk=person.kk,
        full_name=person.full_name,
        birth_place=person.birth_place,
        birth_date=person.birth_date,
        sex=person.sex,
        address=person.address,
        domicile=districts[person.district],
        phone=person.phone,
        schooling=r.choice(
            [Schooling.SMP, Schooling.SMA, Schooling.SMK, Schooling.SMK, Schooling.D3]
        ),
    )
