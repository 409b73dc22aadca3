"""Placement demo: what the centre knows of its partners, where the 2025 graduates went
(as the tracer study found out, with the honest share who never answered), two vacancies,
and an inmate batch inside Lapas Bontang filled by the prison's nominations.

Idempotent like the rest of the demo: each part is skipped when its data is already there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import zoneinfo

from django.utils import timezone

from vokasi.catalog.models import Batch, BatchState, FundingSource, Partner, Programme, Schooling
from vokasi.core.models import User
from vokasi.demo.catalog import BONTANG, KUTAI_TIMUR, SAMARINDA
from vokasi.demo.people import PeopleFactory
from vokasi.inmates.models import Nomination
from vokasi.inmates.services import (
    NomineeData,
    nomination_accept,
    nomination_create,
    nomination_reject,
)
from vokasi.placement.models import (
    Agreement,
    Contact,
    Contribution,
    Outcome,
    PlacementRecord,
    Referral,
    ReferralState,
    Source,
    TracerSurvey,
    Vacancy,
)
from vokasi.placement.selectors import add_months, graduates
from vokasi.placement.services import TRACER_LINK_DAYS
from vokasi.regions.models import Region
from vokasi.training.models import Participant

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
STORY_YEAR = 2025

# (partner, agreement number, scope, signed, valid until, contacts, contributions)
PARTNER_DETAILS: tuple[
    tuple[
        str, str, str, dt.date, dt.date | None, list[tuple[str, str, str]], list[tuple[str, str]]
    ],
    ...,
] = (
    (
        "PT Pupuk Kalimantan Timur",
        "560/041/BLKI-BTG/2025",
        "Kurikulum pengelasan dan pemeliharaan sesuai kebutuhan industri, praktik kerja di "
        "bengkel perusahaan, informasi lowongan kontraktor turnaround.",
        dt.date(2025, 2, 17),
        dt.date(2028, 2, 16),
        [("Ir. Dedi Kurniawan", "Superintendent Pengembangan SDM", "0811 5840 221")],
        [
            ("instructors", "Instruktur tamu K3 dan pengelasan pipa"),
            ("workshop", "Bengkel praktik pemeliharaan"),
            ("vacancies", "Kontraktor turnaround pabrik"),
        ],
    ),
    (
        "PT Badak NGL",
        "560/052/BLKI-BTG/2025",
        "Penyaluran lulusan las dan listrik ke kontraktor pemeliharaan kilang LNG.",
        dt.date(2025, 3, 5),
        dt.date(2027, 3, 4),
        [("Rudi Hartanto, S.T.", "Koordinator CSR", "0812 5301 7744")],
        [("vacancies", "Welder dan helper kontraktor pemeliharaan"), ("funding", "CSR alat las")],
    ),
    (
        "Lapas Kelas IIA Bontang",
        "W18.PAS.PAS.12-PK.01.04/2025",
        "Pelatihan berbasis kompetensi bagi warga binaan di dalam Lapas, diusulkan oleh Lapas; "
        "data warga binaan hanya untuk keperluan pelatihan.",
        dt.date(2025, 6, 2),
        dt.date(2026, 12, 31),
        [
            (
                "Yudi Hartono, A.Md.IP.",
                "Kasi Bimbingan Kemasyarakatan dan Perawatan",
                "0813 4678 1902",
            )
        ],
        [("candidates", "Calon peserta warga binaan"), ("workshop", "Ruang bengkel kerja Lapas")],
    ),
    (
        "BPVP Samarinda",
        "KEP.3/BPVP-SMD/2025",
        "Instruktur bersertifikat dan uji kompetensi di TUK BPVP.",
        dt.date(2025, 1, 20),
        None,
        [("Sri Wahyuni, S.Pd.", "Kepala Seksi Penyelenggaraan", "0541 743210")],
        [("instructors", "Instruktur alat berat dan otomotif")],
    ),
)

# Where graduates of each programme end up: (outcome, employer or business, sector, weight).
DESTINATIONS: dict[str, list[tuple[str, str, str, int]]] = {
    "ALB": [
        ("employed", "PT Kaltim Prima Coal (kontraktor)", "Pertambangan", 5),
        ("employed", "CV Sinar Bontang Alat Berat", "Konstruksi", 3),
        ("migrant", "Malaysia", "Perkebunan sawit", 1),
    ],
    "LAS": [
        ("employed", "PT Badak NGL (kontraktor pemeliharaan)", "Minyak dan gas", 4),
        ("employed", "PT Pupuk Kalimantan Timur (kontraktor turnaround)", "Industri pupuk", 4),
        ("employed", "Bengkel Las Karya Mandiri, Bontang", "Bengkel las", 3),
        ("self_employed", "Bengkel las pagar dan kanopi", "", 2),
        ("migrant", "Jepang", "Manufaktur", 3),
        ("migrant", "Korea Selatan", "Galangan kapal", 1),
    ],
    "ACR": [
        ("employed", "CV Dingin Sejuk Teknik", "Jasa servis AC", 5),
        ("self_employed", "Servis AC panggilan", "", 3),
    ],
    "BAR": [
        ("employed", "Kedai Kopi Tepian, Bontang", "Kafe dan restoran", 4),
        ("employed", "Hotel Equator Bontang", "Perhotelan", 2),
        ("self_employed", "Kedai kopi keliling", "", 3),
        ("migrant", "Malaysia", "Perhotelan", 1),
    ],
    "TRS": [
        ("self_employed", "Jasa rias pengantin", "", 6),
        ("employed", "Salon Cantik Ayu, Samarinda", "Kecantikan", 3),
    ],
    "PIK": [
        ("self_employed", "Amplang dan kerupuk ikan", "", 5),
        ("employed", "UD Hasil Laut Bontang", "Pengolahan ikan", 3),
        ("migrant", "Taiwan", "Pengolahan hasil laut", 1),
    ],
    "OTO": [
        ("employed", "Bengkel resmi sepeda motor, Bontang", "Otomotif", 4),
        ("self_employed", "Bengkel motor rumahan", "", 3),
    ],
    "LIS": [
        ("employed", "CV Terang Listrik Bontang", "Instalasi listrik", 4),
        ("employed", "PT Pupuk Kalimantan Timur (kontraktor turnaround)", "Industri pupuk", 2),
        ("self_employed", "Jasa instalasi listrik rumah", "", 2),
    ],
    "DKV": [
        ("employed", "Percetakan Mitra Grafika, Bontang", "Percetakan", 4),
        ("self_employed", "Desain grafis lepas (daring)", "", 3),
    ],
}
# Share of graduates with no work a year on, and who go on to further training.
NOT_EMPLOYED_SHARE = 0.18
STUDY_SHARE = 0.05
P3MI = {
    "Jepang": "PT Mitra Karya Nusantara (P3MI)",
    "Korea Selatan": "PT Hanindo Global Mandiri (P3MI)",
    "Taiwan": "PT Bahari Sejahtera Abadi (P3MI)",
    "Malaysia": "PT Borneo Jaya Manpower (P3MI)",
}
# Who answers each wave, by link or when staff phone: not everyone, and fewer as time passes.
# About a third never answer at all (a changed number, no interest): the rate is not inflated.
SILENT_SHARE = 0.35
ANSWER_BY_LINK = {3: 0.5, 6: 0.4, 12: 0.35}
ANSWER_BY_PHONE = {3: 0.15, 6: 0.12, 12: 0.1}
WAGES = ["2to35", "2to35", "35to5", "35to5", "5to8"]


def load_placement(*, today: dt.date) -> dict[str, int]:
    staff = User.objects.filter(username="staf").first()
    officer = User.objects.filter(username="lapas").first()
    load_partner_details()
    answered = load_tracer(today=today, staff=staff)
    load_vacancies(today=today, staff=staff)
    enrolled = load_inmate_batch(today=today, officer=officer, staff=staff)
    return {"answered": answered, "inmates": enrolled}


def load_partner_details() -> None:
    partners = {p.name: p for p in Partner.objects.all()}
    for name, number, scope, signed, until, contacts, brings in PARTNER_DETAILS:
        partner = partners.get(name)
        if partner is None or partner.agreements.exists():
            continue
        Agreement.objects.create(
            partner=partner, number=number, scope=scope, signed_on=signed, valid_until=until
        )
        for person, position, phone in contacts:
            Contact.objects.create(partner=partner, name=person, position=position, phone=phone)
        for kind, note in brings:
            Contribution.objects.create(partner=partner, kind=kind, note=note)


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59)), tzinfo=WITA)


def load_tracer(*, today: dt.date, staff: User | None) -> int:
    """Tracer waves for the 2025 graduates that are due by `today`, with their answers."""
    people = list(
        graduates()
        .filter(batch__training_ends__year=STORY_YEAR)
        .select_related("batch__programme", "applicant")
        .order_by("batch__code", "number")
    )
    if not people or TracerSurvey.objects.filter(participant__in=people).exists():
        return 0
    answered = 0
    for participant in people:
        rng = random.Random(f"vokasi-tracer-{participant.batch.code}-{participant.number}")
        final = _destination(participant.batch.programme.code, rng)
        # When the final state was reached: many take a few months to find work.
        settled_wave = rng.choices([3, 6, 12], [0.55, 0.3, 0.15])[0]
        silent = rng.random() < SILENT_SHARE
        for wave in (3, 6, 12):
            due = add_months(participant.batch.training_ends, wave)
            if due > today:
                break
            sent = _at(due, rng)
            survey = TracerSurvey.objects.create(
                participant=participant,
                wave=wave,
                due_on=due,
                # A token nobody holds: the demo's links were "sent" long ago.
                token_hash=hashlib.sha256(f"demo-{participant.pk}-{wave}".encode()).hexdigest(),
                sent_at=sent,
                expires_at=sent + dt.timedelta(days=TRACER_LINK_DAYS),
            )
            by_link = not silent and rng.random() < ANSWER_BY_LINK[wave]
            by_phone = (
                not silent
                and not by_link
                and staff is not None
                and rng.random() < ANSWER_BY_PHONE[wave]
            )
            if not (by_link or by_phone):
                continue
            state = final if wave >= settled_wave else _before(final, rng)
            at = sent + dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 5))
            at = min(at, timezone.now())
            TracerSurvey.objects.filter(pk=survey.pk).update(
                answered_at=at, answered_via="link" if by_link else "phone"
            )
            record = PlacementRecord.objects.create(
                participant=participant,
                source=Source.TRACER if by_link else Source.PHONE,
                survey=survey,
                recorded_by=None if by_link else staff,
                **_fields(state, participant.batch.training_ends, rng),
            )
            # The history is ordered by when it was recorded: the answer's own time.
            PlacementRecord.objects.filter(pk=record.pk).update(recorded_at=at)
            answered += 1
    return answered


def _destination(code: str, rng: random.Random) -> dict[str, str]:
    roll = rng.random()
    if roll < NOT_EMPLOYED_SHARE:
        return {"outcome": Outcome.NOT_EMPLOYED}
    if roll < NOT_EMPLOYED_SHARE + STUDY_SHARE:
        return {
            "outcome": Outcome.STUDY,
            "place": rng.choice(["BPVP Samarinda", "UPTD BLKI Bontang"]),
        }
    options = DESTINATIONS.get(code, DESTINATIONS["OTO"])
    outcome, name, sector, _weight = rng.choices(options, [o[3] for o in options])[0]
    return {"outcome": outcome, "name": name, "sector": sector}


def _before(final: dict[str, str], rng: random.Random) -> dict[str, str]:
    """Before settling: still looking, or (for those going abroad) in language training."""
    if final["outcome"] == Outcome.MIGRANT and rng.random() < 0.7:
        return {"outcome": Outcome.STUDY, "place": "LPK bahasa, Samarinda"}
    return {"outcome": Outcome.NOT_EMPLOYED}


def _fields(state: dict[str, str], ended: dt.date, rng: random.Random) -> dict[str, object]:
    outcome = state["outcome"]
    start = ended + dt.timedelta(days=rng.randint(20, 150))
    if outcome == Outcome.EMPLOYED:
        return {
            "outcome": outcome,
            "employer": state["name"],
            "sector": state["sector"],
            "position": rng.choice(["Operator", "Teknisi", "Helper", "Staf"]),
            "wage_band": rng.choice(WAGES),
            "start_date": start,
            "place": state["name"].rsplit(", ", 1)[-1] if ", " in state["name"] else "Bontang",
        }
    if outcome == Outcome.SELF_EMPLOYED:
        return {
            "outcome": outcome,
            "business": state["name"],
            "wage_band": rng.choice(["lt2", "2to35", "2to35"]),
            "start_date": start,
            "place": "Bontang",
        }
    if outcome == Outcome.MIGRANT:
        return {
            "outcome": outcome,
            "country": state["name"],
            "agency": P3MI[state["name"]],
            "employer": state["sector"],
            "departure_date": start + dt.timedelta(days=60),
            "wage_band": "gt8",
        }
    return {"outcome": outcome, "place": state.get("place", "")}


def load_vacancies(*, today: dt.date, staff: User | None) -> None:
    badak = Partner.objects.filter(name="PT Badak NGL").first()
    welding = Programme.objects.filter(code="LAS").first()
    if welding is None:
        return
    vacancy, created = Vacancy.objects.get_or_create(
        employer="PT Badak NGL (kontraktor pemeliharaan)",
        position="Welder SMAW 3G",
        defaults={
            "partner": badak,
            "programme": welding,
            "competencies": "Pengelasan pelat posisi 3G (SMAW), K3 pengelasan",
            "place": "Bontang",
            "openings": 6,
            "closes_on": today + dt.timedelta(days=20),
            "description": "Kontrak 12 bulan pekerjaan pemeliharaan kilang; sertifikat BNSP diutamakan.",
            "created_by": staff,
        },
    )
    if created:
        Vacancy.objects.filter(pk=vacancy.pk).update(closes_on=today + dt.timedelta(days=20))
        candidates = (
            graduates()
            .filter(batch__programme=welding)
            .exclude(placements__outcome__in=[Outcome.EMPLOYED, Outcome.MIGRANT])
            .order_by("batch__code", "number")[:5]
        )
        now = timezone.now()
        for i, participant in enumerate(candidates):
            sent = i < 3
            Referral.objects.create(
                vacancy=vacancy,
                participant=participant,
                state=ReferralState.SENT if sent else ReferralState.SHORTLISTED,
                sent_at=now - dt.timedelta(days=2) if sent else None,
            )
    Vacancy.objects.get_or_create(
        employer="Perusahaan manufaktur di Prefektur Aichi",
        position="Welder (Tokutei Ginou / SSW)",
        defaults={
            "programme": welding,
            "competencies": "Las SMAW/GMAW; bahasa Jepang JFT-Basic A2",
            "location": Vacancy.Location.ABROAD,
            "country": "Jepang",
            "agency": P3MI["Jepang"],
            "openings": 10,
            "closes_on": today + dt.timedelta(days=45),
            "description": "Melalui P3MI berizin; pelatihan bahasa 4 bulan sebelum berangkat.",
            "created_by": staff,
        },
    )


INMATE_HOMES = ((BONTANG, 0.6), (KUTAI_TIMUR, 0.25), (SAMARINDA, 0.15))


def load_inmate_batch(*, today: dt.date, officer: User | None, staff: User | None) -> int:
    """A welding batch inside Lapas Bontang, running now, filled by the prison's nominations."""
    lapas = Partner.objects.filter(name="Lapas Kelas IIA Bontang").first()
    welding = Programme.objects.filter(code="LAS").first()
    fund = FundingSource.objects.filter(name=f"APBD Kota Bontang {today.year}").first()
    if None in (lapas, welding, fund, officer, staff):
        return 0
    assert lapas and welding and fund and officer and staff
    starts = today - dt.timedelta(days=18)
    batch, _ = Batch.objects.get_or_create(
        code=f"LAS-LPS-{today.year}-1",
        defaults={
            "programme": welding,
            "name": f"Pengelasan SMAW Warga Binaan Lapas Bontang {today.year}",
            "funding": fund,
            "cost": 65_000_000,
            "quota": 16,
            "min_participants": 10,
            "venue_partner": lapas,
            "venue_note": "Bengkel kerja Lapas",
            "training_starts": starts,
            "training_ends": starts + dt.timedelta(days=45),
            "state": BatchState.RUNNING,
        },
    )
    if Nomination.objects.filter(batch=batch).exists():
        return batch.participants.count()
    people = PeopleFactory(seed=20251117, first_serial=7001)
    districts = {r.code: r for r in Region.objects.filter(level=Region.Level.DISTRICT)}
    nominations = []
    for n in range(1, 19):
        regency = people.random.choices([c for c, _ in INMATE_HOMES], [w for _, w in INMATE_HOMES])[
            0
        ]
        person = people.person(regency=regency, sex="M", age_range=(20, 38), on=today)
        nominations.append(
            nomination_create(
                batch=batch,
                data=NomineeData(
                    nik=person.nik,
                    full_name=person.full_name,
                    birth_place=person.birth_place,
                    birth_date=person.birth_date,
                    sex="M",
                    domicile=districts[person.district],
                    schooling=people.random.choice(
                        [Schooling.SD, Schooling.SMP, Schooling.SMP, Schooling.SMA]
                    ),
                    number=f"B.I-{people.random.randint(100, 999)}/{today.year - people.random.randint(1, 3)}-{n:02d}",
                    expected_release=today + dt.timedelta(days=people.random.randint(100, 700)),
                ),
                actor=officer,
            )
        )
    for nomination in nominations[:15]:
        nomination_accept(nomination=nomination, actor=staff)
    nomination_reject(
        nomination=nominations[15],
        reason="Sisa masa pidana kurang dari masa pelatihan",
        actor=staff,
    )
    # Two stay waiting for review, as on any working day.
    return Participant.objects.filter(batch=batch).count()
