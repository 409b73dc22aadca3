"""UPTD BLKI Bontang as the news report of 30 July 2025 shows it.

Facts from the report: the programmes closed and opened that day, 192 participants from
Bontang, Samarinda and Kutai Timur, APBD Kota Bontang 2025 funding, the partners present,
underwater welding planned with the province. Addresses, phone numbers, amounts and unit
codes are illustrative (plausible, in the right shape), not the centre's real records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vokasi.catalog.models import (
    Batch,
    BatchState,
    CompetencyUnit,
    FundingSource,
    Partner,
    Programme,
    Schooling,
    TrainingCentre,
)
from vokasi.regions.models import Region

STORY_DAY = dt.date(2025, 7, 30)  # the mayor closed and opened the programmes that day
BONTANG, SAMARINDA, KUTAI_TIMUR, KALTIM = "6474", "6472", "6408", "64"


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    name: str
    field: str
    hours_jp: int
    scheme: str
    package_cost: int
    max_age: int
    schooling: int
    description: str
    units: tuple[tuple[str, str, int], ...]
    active: bool = True


PROGRAMMES: tuple[ProgrammeSpec, ...] = (
    ProgrammeSpec(
        "ALB",
        "Operator Alat Berat (Excavator)",
        "Konstruksi",
        400,
        "Operator Excavator",
        150_000_000,
        35,
        Schooling.SMA,
        "Mengoperasikan excavator secara aman dan efisien: pemeriksaan harian, penggalian, pemuatan, dan perawatan ringan. "
        "Praktik di lahan latihan BLKI dengan unit milik mitra industri.",
        (
            (
                "F.42OAB00.001.2",
                "Menerapkan keselamatan dan kesehatan kerja di area operasi alat berat",
                40,
            ),
            ("F.42OAB00.002.2", "Melakukan pemeriksaan harian (P2H) excavator", 60),
            ("F.42OAB00.003.2", "Mengoperasikan excavator untuk penggalian dan pemuatan", 200),
            ("F.42OAB00.004.2", "Melakukan perawatan ringan excavator", 60),
            ("F.42OAB00.005.2", "Berkomunikasi dengan pemandu (signalman) di lapangan", 40),
        ),
    ),
    ProgrammeSpec(
        "LAS",
        "Pengelasan SMAW 3G",
        "Teknik Las",
        320,
        "Juru Las SMAW 3G",
        110_000_000,
        35,
        Schooling.SMP,
        "Pengelasan busur manual (SMAW) pelat baja posisi datar sampai vertikal (1G–3G), sesuai kebutuhan fabrikasi "
        "dan perawatan industri di Bontang.",
        (
            ("C.25LAS00.001.2", "Menerapkan keselamatan dan kesehatan kerja pengelasan", 24),
            ("C.25LAS00.002.2", "Membaca gambar teknik dan simbol las", 32),
            ("C.25LAS00.003.2", "Menyiapkan bahan dan peralatan las SMAW", 40),
            ("C.25LAS00.004.2", "Mengelas pelat posisi 1G dan 2G", 104),
            ("C.25LAS00.005.2", "Mengelas pelat posisi 3G", 120),
        ),
    ),
    ProgrammeSpec(
        "ACR",
        "Teknisi AC Residential",
        "Refrigerasi",
        240,
        "Teknisi AC Residential",
        60_000_000,
        40,
        Schooling.SMP,
        "Memasang, merawat, dan memperbaiki AC split rumah tangga, termasuk penanganan refrigeran yang aman.",
        (
            ("C.28RAC00.001.1", "Menerapkan K3 pada pekerjaan refrigerasi", 16),
            ("C.28RAC00.002.1", "Memasang unit AC split", 80),
            ("C.28RAC00.003.1", "Merawat AC split secara berkala", 64),
            ("C.28RAC00.004.1", "Mendiagnosis dan memperbaiki kerusakan AC split", 80),
        ),
    ),
    ProgrammeSpec(
        "BAR",
        "Barista",
        "Pariwisata",
        160,
        "Barista",
        55_000_000,
        40,
        Schooling.SMP,
        "Menyiapkan kopi espresso dan manual brew, melayani tamu, serta menjaga kebersihan bar — bekal bekerja di "
        "kafe atau membuka usaha sendiri.",
        (
            ("I.56BAR00.001.1", "Menerapkan higiene dan sanitasi di bar", 16),
            ("I.56BAR00.002.1", "Menyiapkan dan mengoperasikan mesin espresso", 48),
            ("I.56BAR00.003.1", "Membuat minuman kopi berbasis espresso", 56),
            ("I.56BAR00.004.1", "Menyajikan kopi seduh manual", 40),
        ),
    ),
    ProgrammeSpec(
        "TRS",
        "Tata Rias Wajah (Make-up Artist)",
        "Tata Kecantikan",
        200,
        "Penata Rias Wajah",
        55_000_000,
        40,
        Schooling.SMP,
        "Rias wajah sehari-hari, pesta, dan pengantin modern; perawatan alat dan pelayanan klien.",
        (
            ("S.96TRS00.001.1", "Melakukan konsultasi dan analisis wajah klien", 24),
            ("S.96TRS00.002.1", "Merias wajah sehari-hari", 56),
            ("S.96TRS00.003.1", "Merias wajah pesta", 60),
            ("S.96TRS00.004.1", "Merias wajah pengantin modern", 60),
        ),
    ),
    ProgrammeSpec(
        "PIK",
        "Pengolahan Hasil Perikanan",
        "Pengolahan Hasil Perikanan",
        160,
        "Pengolah Produk Perikanan",
        50_000_000,
        40,
        Schooling.SD,
        "Mengolah ikan dan hasil laut Bontang menjadi produk bernilai jual (abon, nugget, amplang, kerupuk) dengan "
        "standar keamanan pangan dan pengemasan.",
        (
            ("C.10PIK00.001.1", "Menerapkan cara pengolahan pangan yang baik (CPPB)", 24),
            ("C.10PIK00.002.1", "Menangani bahan baku ikan segar", 32),
            ("C.10PIK00.003.1", "Mengolah produk olahan ikan", 72),
            ("C.10PIK00.004.1", "Mengemas dan memberi label produk", 32),
        ),
    ),
    ProgrammeSpec(
        "OTO",
        "Servis Sepeda Motor Injeksi",
        "Otomotif",
        320,
        "Mekanik Sepeda Motor",
        90_000_000,
        35,
        Schooling.SMP,
        "Perawatan berkala dan perbaikan sistem injeksi, kelistrikan, dan mesin sepeda motor.",
        (
            ("G.45OTO00.001.1", "Menerapkan K3 di bengkel", 16),
            ("G.45OTO00.002.1", "Melakukan servis berkala sepeda motor", 96),
            ("G.45OTO00.003.1", "Memperbaiki sistem bahan bakar injeksi", 104),
            ("G.45OTO00.004.1", "Memperbaiki sistem kelistrikan sepeda motor", 104),
        ),
    ),
    ProgrammeSpec(
        "LIS",
        "Instalasi Listrik Bangunan Sederhana",
        "Listrik",
        280,
        "Instalatir Listrik Tegangan Rendah",
        80_000_000,
        35,
        Schooling.SMA,
        "Memasang instalasi penerangan dan tenaga pada rumah dan bangunan sederhana sesuai PUIL.",
        (
            ("D.35LIS00.001.1", "Menerapkan K3 kelistrikan", 24),
            ("D.35LIS00.002.1", "Membaca gambar instalasi listrik", 40),
            ("D.35LIS00.003.1", "Memasang instalasi penerangan", 112),
            ("D.35LIS00.004.1", "Memasang panel hubung bagi sederhana", 104),
        ),
    ),
    ProgrammeSpec(
        "DKV",
        "Desain Grafis",
        "Teknologi Informasi dan Komunikasi",
        240,
        "Desainer Grafis Muda",
        70_000_000,
        35,
        Schooling.SMA,
        "Membuat materi promosi cetak dan digital untuk UMKM: tata letak, tipografi, olah foto, dan media sosial.",
        (
            ("J.58DKV00.001.1", "Menerapkan prinsip dasar desain", 40),
            ("J.58DKV00.002.1", "Mengolah gambar bitmap", 64),
            ("J.58DKV00.003.1", "Membuat desain vektor dan tata letak", 80),
            ("J.58DKV00.004.1", "Menyiapkan berkas untuk cetak dan media digital", 56),
        ),
    ),
    ProgrammeSpec(
        "WBA",
        "Pengelasan Bawah Air (Underwater Welding)",
        "Teknik Las",
        480,
        "Juru Las Bawah Air",
        350_000_000,
        30,
        Schooling.SMA,
        "Direncanakan bersama Pemprov Kaltim: pengelasan basah di bawah air untuk perawatan dermaga dan anjungan lepas "
        "pantai, dengan prospek kerja di luar negeri. Syarat: sertifikat selam dan lulus Pengelasan SMAW 3G.",
        (
            ("C.25LBA00.001.1", "Menerapkan keselamatan penyelaman kerja", 80),
            ("C.25LBA00.002.1", "Mengelas basah (wet welding) posisi datar dan horizontal", 200),
            ("C.25LBA00.003.1", "Memeriksa hasil las bawah air secara visual", 100),
            ("C.25LBA00.004.1", "Berkomunikasi dengan tim permukaan", 100),
        ),
        active=False,
    ),
)

PARTNERS: tuple[tuple[str, str, str | None], ...] = (
    (
        "Dinas Tenaga Kerja dan Transmigrasi Provinsi Kalimantan Timur",
        Partner.Kind.MANPOWER_OFFICE,
        "6472",
    ),
    ("BPVP Samarinda", Partner.Kind.BPVP, "6472"),
    ("Lapas Kelas IIA Bontang", Partner.Kind.PRISON, "6474"),
    ("BNN Kota Bontang", Partner.Kind.BNN, "6474"),
    ("SMK Negeri 1 Bontang", Partner.Kind.SMK, "6474"),
    ("PT Pupuk Kalimantan Timur", Partner.Kind.INDUSTRY, "6474"),
    ("PT Badak NGL", Partner.Kind.INDUSTRY, "6474"),
    ("Komite I DPD RI", Partner.Kind.GOVERNMENT, None),
)

# (code, programme, name, quota, cost, starts, ends, state) for the batches of the report.
# The six closed on 30 July 2025 hold the report's 192 participants.
STORY_BATCHES: tuple[tuple[str, str, str, int, int, dt.date, dt.date, str], ...] = (
    (
        "ALB-2025-1",
        "ALB",
        "Operator Alat Berat Angkatan I 2025",
        24,
        225_000_000,
        dt.date(2025, 4, 21),
        STORY_DAY,
        BatchState.COMPLETED,
    ),
    (
        "LAS-2025-1",
        "LAS",
        "Pengelasan SMAW 3G Angkatan I 2025",
        32,
        220_000_000,
        dt.date(2025, 5, 19),
        STORY_DAY,
        BatchState.COMPLETED,
    ),
    (
        "ACR-2025-1",
        "ACR",
        "Teknisi AC Residential Angkatan I 2025",
        32,
        120_000_000,
        dt.date(2025, 6, 10),
        STORY_DAY,
        BatchState.COMPLETED,
    ),
    (
        "BAR-2025-1",
        "BAR",
        "Barista Angkatan I 2025",
        36,
        120_000_000,
        dt.date(2025, 6, 26),
        STORY_DAY,
        BatchState.COMPLETED,
    ),
    (
        "TRS-2025-1",
        "TRS",
        "Tata Rias Wajah Angkatan I 2025",
        36,
        120_000_000,
        dt.date(2025, 6, 19),
        STORY_DAY,
        BatchState.COMPLETED,
    ),
    (
        "PIK-2025-1",
        "PIK",
        "Pengolahan Hasil Perikanan Angkatan I 2025",
        32,
        100_000_000,
        dt.date(2025, 6, 26),
        STORY_DAY,
        BatchState.COMPLETED,
    ),
    (
        "OTO-2025-1",
        "OTO",
        "Servis Sepeda Motor Injeksi Angkatan I 2025",
        16,
        90_000_000,
        STORY_DAY,
        dt.date(2025, 9, 26),
        BatchState.COMPLETED,
    ),
    (
        "LIS-2025-1",
        "LIS",
        "Instalasi Listrik Bangunan Angkatan I 2025",
        16,
        80_000_000,
        STORY_DAY,
        dt.date(2025, 9, 19),
        BatchState.COMPLETED,
    ),
    (
        "DKV-2025-1",
        "DKV",
        "Desain Grafis Angkatan I 2025",
        16,
        70_000_000,
        STORY_DAY,
        dt.date(2025, 9, 12),
        BatchState.COMPLETED,
    ),
)


def _region(code: str) -> Region:
    return Region.objects.get(code=code)


def load_centre() -> TrainingCentre:
    centre, _ = TrainingCentre.objects.get_or_create(
        short_code="BLKI-BTG",
        defaults={
            "name": "UPTD BLKI Bontang",
            "kind": TrainingCentre.Kind.UPTD_BLKI,
            "government": "Pemerintah Kota Bontang",
            "office": "Dinas Ketenagakerjaan Kota Bontang",
            "letterhead": "\n".join(
                [
                    "PEMERINTAH KOTA BONTANG",
                    "DINAS KETENAGAKERJAAN",
                    "UPTD BALAI LATIHAN KERJA INDUSTRI",
                    "Jl. Bhayangkara No. 45, Bontang Utara, Kota Bontang, Kalimantan Timur 75311",
                    "Telepon (0548) 21045 · blki@bontangkota.go.id",
                ]
            ),
            "address": "Jl. Bhayangkara No. 45, Bontang Utara, Kota Bontang 75311",
            "region": _region(BONTANG),
            "phone": "(0548) 21045",
            "email": "blki@bontangkota.go.id",
            "timezone": "Asia/Makassar",
            "jp_minutes": 45,
        },
    )
    return centre


def load_programmes(centre: TrainingCentre) -> dict[str, Programme]:
    programmes = {}
    kaltim = _region(KALTIM)
    for spec in PROGRAMMES:
        programme, created = Programme.objects.get_or_create(
            centre=centre,
            code=spec.code,
            defaults={
                "name": spec.name,
                "field": spec.field,
                "description": spec.description,
                "requirements": "Fotokopi KTP dan ijazah terakhir; sehat jasmani dan rohani; tidak sedang bekerja "
                "atau bersekolah; bersedia mengikuti pelatihan sampai selesai.",
                "hours_jp": spec.hours_jp,
                "certification_scheme": spec.scheme,
                "package_cost": spec.package_cost,
                "min_age": 18,
                "max_age": spec.max_age,
                "min_schooling": spec.schooling,
                "domicile_rule": Programme.Domicile.PROVINCE,
                "active": spec.active,
            },
        )
        if created:
            programme.domicile_regions.set([kaltim])
            CompetencyUnit.objects.bulk_create(
                CompetencyUnit(programme=programme, order=i, code=code, title=title, hours_jp=jp)
                for i, (code, title, jp) in enumerate(spec.units, start=1)
            )
        programmes[spec.code] = programme
    return programmes


def load_partners() -> dict[str, Partner]:
    partners = {}
    for name, kind, region in PARTNERS:
        partner, _ = Partner.objects.get_or_create(
            name=name, defaults={"kind": kind, "region": _region(region) if region else None}
        )
        partners[name] = partner
    return partners


def load_funding(today: dt.date) -> dict[str, FundingSource]:
    city, province = _region(BONTANG), _region(KALTIM)
    funding = {}
    for key, defaults in {
        "APBD Kota Bontang 2025": {
            "kind": FundingSource.Kind.APBD_CITY,
            "body": "Pemerintah Kota Bontang",
            "region": city,
            "fiscal_year": 2025,
            "amount": 1_250_000_000,
        },
        f"APBD Kota Bontang {today.year}": {
            "kind": FundingSource.Kind.APBD_CITY,
            "body": "Pemerintah Kota Bontang",
            "region": city,
            "fiscal_year": today.year,
            "amount": 1_400_000_000,
        },
        "APBD Provinsi Kaltim 2027 (usulan)": {
            "kind": FundingSource.Kind.APBD_PROVINCE,
            "body": "Pemerintah Provinsi Kalimantan Timur",
            "region": province,
            "fiscal_year": 2027,
            "amount": 0,
        },
    }.items():
        funding[key], _ = FundingSource.objects.get_or_create(name=key, defaults=defaults)
    return funding


def load_story_batches(programmes: dict[str, Programme], funding: FundingSource) -> list[Batch]:
    batches = []
    for code, programme, name, quota, cost, starts, ends, state in STORY_BATCHES:
        batch, _ = Batch.objects.get_or_create(
            code=code,
            defaults={
                "programme": programmes[programme],
                "name": name,
                "funding": funding,
                "cost": cost,
                "quota": quota,
                "min_participants": min(10, quota),
                "registration_opens": starts - dt.timedelta(days=45),
                "registration_closes": starts - dt.timedelta(days=14),
                "training_starts": starts,
                "training_ends": ends,
                "state": state,
                "venue_note": f"Workshop {programmes[programme].field}",
            },
        )
        batches.append(batch)
    return batches


def load_current_batches(
    programmes: dict[str, Programme],
    funding: dict[str, FundingSource],
    partners: dict[str, Partner],
    today: dt.date,
) -> list[Batch]:
    """Batches around the day the demo is loaded, so the site is alive whenever it is tried:
    two open for registration, one in selection, and underwater welding still a plan."""
    year = today.year
    city_fund = funding[f"APBD Kota Bontang {year}"]
    plans: list[
        tuple[
            str,
            str,
            str,
            int,
            int,
            dt.date | None,
            dt.date | None,
            dt.date,
            int,
            str,
            FundingSource,
            Partner | None,
        ]
    ] = [
        (
            f"ALB-{year}-1",
            "ALB",
            f"Operator Alat Berat Angkatan I {year}",
            16,
            150_000_000,
            today - dt.timedelta(days=12),
            today + dt.timedelta(days=16),
            today + dt.timedelta(days=40),
            84,
            BatchState.OPEN,
            city_fund,
            None,
        ),
        (
            f"LAS-{year}-1",
            "LAS",
            f"Pengelasan SMAW 3G Angkatan I {year}",
            16,
            110_000_000,
            today - dt.timedelta(days=5),
            today + dt.timedelta(days=23),
            today + dt.timedelta(days=45),
            56,
            BatchState.OPEN,
            city_fund,
            None,
        ),
        (
            f"BAR-{year}-1",
            "BAR",
            f"Barista Angkatan I {year}",
            16,
            55_000_000,
            today - dt.timedelta(days=40),
            today - dt.timedelta(days=6),
            today + dt.timedelta(days=14),
            28,
            BatchState.SELECTION,
            city_fund,
            None,
        ),
        (
            "WBA-2027-1",
            "WBA",
            "Pengelasan Bawah Air Angkatan I 2027 (rencana)",
            16,
            350_000_000,
            None,
            None,
            dt.date(2027, 7, 5),
            90,
            BatchState.DRAFT,
            funding["APBD Provinsi Kaltim 2027 (usulan)"],
            None,
        ),
    ]
    batches = []
    for (
        code,
        programme,
        name,
        quota,
        cost,
        opens,
        closes,
        starts,
        days,
        state,
        fund,
        partner,
    ) in plans:
        batch, created = Batch.objects.get_or_create(
            code=code,
            defaults={
                "programme": programmes[programme],
                "name": name,
                "funding": fund,
                "cost": cost,
                "quota": quota,
                "min_participants": 10,
                "registration_opens": opens,
                "registration_closes": closes,
                "training_starts": starts,
                "training_ends": starts + dt.timedelta(days=days),
                "state": state,
                "venue_partner": partner,
            },
        )
        if not created and batch.state == state and opens is not None:
            # Keep a re-loaded demo alive: a batch still where the demo left it follows
            # today's date, so "open for registration" stays true weeks later.
            Batch.objects.filter(pk=batch.pk, state=state).update(
                registration_opens=opens,
                registration_closes=closes,
                training_starts=starts,
                training_ends=starts + dt.timedelta(days=days),
            )
        batches.append(batch)
    return batches
