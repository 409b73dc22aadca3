"""The 192 participants of the batches closed on 30 July 2025, and those of the three
batches opened that day: applicants with valid NIKs from Bontang, Samarinda and Kutai Timur.
"""

from __future__ import annotations

from vokasi.catalog.models import Batch, Schooling
from vokasi.demo.catalog import BONTANG, KUTAI_TIMUR, SAMARINDA
from vokasi.demo.people import PeopleFactory
from vokasi.intake.models import Applicant
from vokasi.regions.models import Region
from vokasi.selection.models import SelectionRound
from vokasi.training.models import Participant

# Share of women per programme: trades lean male, make-up and fish processing lean female.
WOMEN_SHARE = {
    "ALB": 0.05,
    "LAS": 0.06,
    "ACR": 0.1,
    "BAR": 0.45,
    "TRS": 0.92,
    "PIK": 0.75,
    "OTO": 0.1,
    "LIS": 0.1,
    "DKV": 0.5,
}
# Where participants live: most from Bontang, the rest from the two neighbours in the report.
HOME_WEIGHTS = ((BONTANG, 0.62), (SAMARINDA, 0.2), (KUTAI_TIMUR, 0.18))
# A handful leave or do not pass, as in any real intake: (dropped, not graduated) per batch.
OUTCOMES = {
    "ALB-2025-1": (1, 1),
    "LAS-2025-1": (2, 1),
    "ACR-2025-1": (0, 1),
    "BAR-2025-1": (1, 0),
    "TRS-2025-1": (0, 0),
    "PIK-2025-1": (1, 0),
    "OTO-2025-1": (1, 1),
    "LIS-2025-1": (0, 1),
    "DKV-2025-1": (1, 0),
}
SCHOOLING = (
    Schooling.SMP,
    Schooling.SMA,
    Schooling.SMA,
    Schooling.SMK,
    Schooling.SMK,
    Schooling.SMK,
    Schooling.D3,
    Schooling.S1,
)


def load_participants(batches: list[Batch]) -> int:
    """Fills each batch to its quota once; a batch that has participants is left alone."""
    people = PeopleFactory(seed=20250730)
    districts = {
        r.code: r
        for r in Region.objects.filter(
            level=Region.Level.DISTRICT, parent__code__in=[BONTANG, SAMARINDA, KUTAI_TIMUR]
        )
    }
    created = 0
    for batch in batches:
        # The generator is advanced for every batch, loaded or not, so the same people
        # come out whichever batches a database already has.
        specs = []
        for number in range(1, batch.quota + 1):
            code = batch.programme.code
            sex = "F" if people.random.random() < WOMEN_SHARE.get(code, 0.3) else "M"
            regency = people.random.choices(
                [c for c, _ in HOME_WEIGHTS], [w for _, w in HOME_WEIGHTS]
            )[0]
            person = people.person(
                regency=regency,
                sex=sex,
                age_range=(18, batch.programme.max_age - 1),
                on=batch.training_starts,
            )
            schooling = max(people.random.choice(SCHOOLING), batch.programme.min_schooling)
            specs.append((number, person, schooling))
        if batch.participants.exists():
            continue
        dropped, failed = OUTCOMES.get(batch.code, (0, 0))
        unlucky = people.random.sample(range(1, batch.quota + 1), dropped + failed)
        for number, person, schooling in specs:
            applicant, _ = Applicant.objects.get_or_create(
                nik=person.nik,
                defaults={
                    "kk": person.kk,
                    "full_name": person.full_name,
                    "birth_place": person.birth_place,
                    "birth_date": person.birth_date,
                    "sex": person.sex,
                    "address": person.address,
                    "domicile": districts[person.district],
                    "schooling": schooling,
                    "phone": person.phone,
                },
            )
            if number in unlucky[:dropped]:
                status = Participant.Status.DROPPED
            elif number in unlucky[dropped:]:
                status = Participant.Status.NOT_GRADUATED
            else:
                status = Participant.Status.GRADUATED
            Participant.objects.create(
                batch=batch, applicant=applicant, number=number, status=status
            )
            created += 1
    return created


def load_admitted(round_: SelectionRound) -> int:
    """The participants of a drawn batch are those who confirmed their place (daftar ulang)."""
    created = 0
    for batch in Batch.objects.filter(offers__round=round_).distinct():
        if batch.participants.exists():
            continue
        admitted = list(
            round_.offers.filter(batch=batch, state="accepted")
            .select_related("application")
            .order_by("created_at", "application__number")
        )
        dropped, failed = OUTCOMES.get(batch.code, (0, 0))
        for number, outcome in enumerate(admitted, start=1):
            status = Participant.Status.GRADUATED
            if number <= dropped:
                status = Participant.Status.DROPPED
            elif number <= dropped + failed:
                status = Participant.Status.NOT_GRADUATED
            Participant.objects.create(
                batch=batch,
                applicant_id=outcome.application.applicant_id,
                number=number,
                status=status,
            )
            created += 1
    return created
