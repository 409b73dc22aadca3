"""Reads of registration."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from vokasi.catalog.models import Batch, BatchState, Intake
from vokasi.core.forms import query_int
from vokasi.intake.models import Applicant, Application, Document
from vokasi.regions.models import Region


def batches_open_in(intake: Intake, *, today: dt.date) -> QuerySet[Batch]:
    return (
        intake.batches.filter(
            state=BatchState.OPEN, registration_opens__lte=today, registration_closes__gte=today
        )
        .exclude(venue_partner__kind="prison")
        .select_related("programme")
        .order_by("training_starts", "name")
    )


def open_intakes(*, today: dt.date) -> QuerySet[Intake]:
    return Intake.objects.filter(
        batches__state=BatchState.OPEN,
        batches__registration_opens__lte=today,
        batches__registration_closes__gte=today,
    ).distinct()


def region_options(*, province: str, regency: str) -> dict[str, list[Region]]:
    """The address selects' options for what is already chosen (works without JavaScript)."""
    options: dict[str, list[Region]] = {
        "provinces": list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("name")),
        "regencies": [],
        "districts": [],
    }
    if province:
        options["regencies"] = list(
            Region.objects.filter(parent_id=province, level=Region.Level.REGENCY).order_by("name")
        )
    if regency:
        options["districts"] = list(
            Region.objects.filter(parent_id=regency, level=Region.Level.DISTRICT).order_by("name")
        )
    return options


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def application_queue(
    *,
    intake: str = "",
    status: str = "",
    batch: str = "",
    regency: str = "",
    search: str = "",
    date_from: str = "",
    date_to: str = "",
) -> QuerySet[Application]:
    applications = Application.objects.select_related(
        "applicant__domicile__parent", "intake", "entered_by"
    ).prefetch_related("choices__batch", "documents")
    if (intake_id := query_int(intake)) is not None:
        applications = applications.filter(intake_id=intake_id)
    if status:
        applications = applications.filter(status=status)
    if (batch_id := query_int(batch)) is not None:
        applications = applications.filter(choices__batch_id=batch_id)
    if regency.isascii() and regency.isdigit() and len(regency) == 4:
        applications = applications.filter(applicant__domicile__parent_id=regency)
    if search:
        applications = applications.filter(
            Q(number__icontains=search) | Q(applicant__full_name__icontains=search)
        )
    if (start := _date(date_from)) is not None:
        applications = applications.filter(submitted_at__date__gte=start)
    if (end := _date(date_to)) is not None:
        applications = applications.filter(submitted_at__date__lte=end)
    # A batch filter joins the choices; distinct keeps one row per application.
    return applications.distinct().order_by("submitted_at")


def queue_filter_options() -> dict[str, Any]:
    return {
        "batches": Batch.objects.filter(intake__isnull=False)
        .order_by("-training_starts")
        .only("pk", "code"),
        "regencies": Region.objects.filter(
            code__in=Applicant.objects.filter(applications__isnull=False).values("domicile__parent")
        ).order_by("name"),
    }


def application_detail(pk: int) -> Application | None:
    """One application for staff; `has_ktp` says whether it can be verified yet."""
    return (
        Application.objects.select_related(
            "applicant__domicile__parent__parent", "intake", "entered_by"
        )
        .prefetch_related("choices__batch__programme", "documents")
        .annotate(
            has_ktp=Exists(
                Document.objects.filter(application=OuterRef("pk"), kind=Document.Kind.KTP)
            )
        )
        .filter(pk=pk)
        .first()
    )


def status_counts(intake: Intake | None = None) -> dict[str, Any]:
    from django.db.models import Count

    rows = Application.objects.filter(intake=intake) if intake else Application.objects.all()
    return dict(rows.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
