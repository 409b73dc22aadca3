"""Applications for the batches open around the day the demo is loaded (illustrative
figures): heavy equipment draws far more applicants than its 16 seats, as in the report.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from vokasi.catalog.models import Batch, BatchState, Intake, Schooling, TrainingCentre
from vokasi.demo.catalog import BONTANG, KUTAI_TIMUR, SAMARINDA
from vokasi.demo.people import PeopleFactory
from vokasi.intake.models import Applicant, Application, ApplicationStatus, Choice, Document
from vokasi.intake.services import document_record_as_found
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
    created = 0 if intake.applications.exists() else _new_applications(intake, today)
    # Also on a reload: a demo loaded before the scans existed gets them now.
    load_documents(intake)
    return created


def _new_applications(intake: Intake, today: dt.date) -> int:
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


# Staff verify against these; the rest of the intake was judged before the demo starts.
WAITING = (ApplicationStatus.SUBMITTED, ApplicationStatus.DOCUMENTS_TO_FIX)
DEMO_MARK = "CONTOH - DATA DEMO, BUKAN DOKUMEN ASLI"


def load_documents(intake: Intake) -> int:
    """A small generated "scan" of the KTP and of the diploma for each application waiting
    for verification, stored like an upload (private storage, a Document row, an audit
    entry), so staff can open them and verify. Each is marked as a demo. Where a fix was
    asked for ("Foto KTP tidak terbaca") the KTP is printed too faint to read."""
    added = 0
    waiting = (
        Application.objects.filter(intake=intake, status__in=WAITING)
        .select_related("applicant__domicile")
        .prefetch_related("documents")
        .order_by("pk")
    )
    for application in waiting:
        have = {d.kind for d in application.documents.all()}
        faint = application.status == ApplicationStatus.DOCUMENTS_TO_FIX
        for kind, draw in ((Document.Kind.KTP, _ktp_pdf), (Document.Kind.DIPLOMA, _diploma_pdf)):
            if kind in have:
                continue
            upload = SimpleUploadedFile(
                f"{application.pk}-{kind}.pdf", draw(application.applicant, faint=faint)
            )
            document_record_as_found(application=application, kind=kind, upload=upload)
            added += 1
    return added


def _canvas(buffer: io.BytesIO, width: float, height: float, title: str) -> Canvas:
    pdf = Canvas(buffer, pagesize=(width, height), invariant=True, pageCompression=0)
    pdf.setTitle(f"{title} ({DEMO_MARK.lower()})")
    return pdf


def _demo_stamp(pdf: Canvas, width: float, y: float, size: float = 7) -> None:
    pdf.setFillColorRGB(0.75, 0.1, 0.1)
    pdf.setFont("Helvetica-Bold", size)
    pdf.drawCentredString(width / 2, y, DEMO_MARK)


def _ktp_pdf(applicant: Applicant, *, faint: bool = False) -> bytes:
    """An ID-card-sized page with what a KTP shows: enough to compare with the form."""
    width, height = 85.6 * mm, 54 * mm
    buffer = io.BytesIO()
    pdf = _canvas(buffer, width, height, "Pindaian KTP")
    pdf.setFillColorRGB(0.86, 0.92, 0.98)
    pdf.rect(0, 0, width, height, stroke=0, fill=1)
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    pdf.setFont("Helvetica-Bold", 6.5)
    pdf.drawCentredString(width / 2, height - 5 * mm, "PROVINSI KALIMANTAN TIMUR")
    regency = applicant.domicile.parent.name.upper() if applicant.domicile.parent else ""
    pdf.drawCentredString(width / 2, height - 8 * mm, regency)
    # A photo that was out of focus: the text barely stands out from the card.
    shade = 0.8 if faint else 0.1
    pdf.setFillColorRGB(shade, shade, shade)
    pdf.setFont("Helvetica-Bold", 7)
    pdf.drawString(4 * mm, height - 13 * mm, f"NIK : {applicant.nik}")
    pdf.setFont("Helvetica", 5.5)
    rows = (
        ("Nama", applicant.full_name.upper()),
        ("Tempat/Tgl Lahir", f"{applicant.birth_place.upper()}, {applicant.birth_date:%d-%m-%Y}"),
        ("Jenis Kelamin", "LAKI-LAKI" if applicant.sex == "M" else "PEREMPUAN"),
        ("Alamat", applicant.address.upper()[:48]),
        ("Kecamatan", applicant.domicile.name.upper()),
        ("Berlaku Hingga", "SEUMUR HIDUP"),
    )
    y = height - 17.5 * mm
    for label, value in rows:
        pdf.drawString(4 * mm, y, label)
        pdf.drawString(24 * mm, y, f": {value}")
        y -= 3.6 * mm
    pdf.setStrokeColorRGB(0.5, 0.5, 0.5)
    pdf.rect(width - 22 * mm, 10 * mm, 18 * mm, 22 * mm)  # where the photo is
    _demo_stamp(pdf, width, 3 * mm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


_DIPLOMA = {
    Schooling.NONE: "SURAT KETERANGAN",
    Schooling.SD: "IJAZAH SEKOLAH DASAR",
    Schooling.SMP: "IJAZAH SEKOLAH MENENGAH PERTAMA",
    Schooling.SMA: "IJAZAH SEKOLAH MENENGAH ATAS",
    Schooling.SMK: "IJAZAH SEKOLAH MENENGAH KEJURUAN",
}


def _diploma_pdf(applicant: Applicant, *, faint: bool = False) -> bytes:
    """A landscape A5 page: the school, the name, the date of birth, the year of graduation."""
    width, height = 210 * mm, 148 * mm
    buffer = io.BytesIO()
    pdf = _canvas(buffer, width, height, "Pindaian ijazah")
    pdf.setStrokeColorRGB(0.3, 0.4, 0.3)
    pdf.setLineWidth(2)
    pdf.rect(6 * mm, 6 * mm, width - 12 * mm, height - 12 * mm)
    pdf.setFont("Helvetica-Bold", 15)
    title = _DIPLOMA.get(Schooling(applicant.schooling), "IJAZAH PENDIDIKAN TINGGI")
    pdf.drawCentredString(width / 2, height - 30 * mm, title)
    pdf.setFont("Helvetica", 11)
    pdf.drawCentredString(width / 2, height - 45 * mm, "diberikan kepada")
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawCentredString(width / 2, height - 57 * mm, applicant.full_name.upper())
    pdf.setFont("Helvetica", 11)
    born = f"lahir di {applicant.birth_place}, {applicant.birth_date:%d-%m-%Y}"
    pdf.drawCentredString(width / 2, height - 67 * mm, born)
    graduated = applicant.birth_date.year + (18 if applicant.schooling >= Schooling.SMA else 15)
    pdf.drawCentredString(
        width / 2, height - 80 * mm, f"LULUS tahun pelajaran {graduated - 1}/{graduated}"
    )
    _demo_stamp(pdf, width, 14 * mm, size=12)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


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
