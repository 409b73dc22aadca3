"""Reads that shape the back office's pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from vokasi.catalog.models import Batch, BatchState, FundingSource, Partner, Programme
from vokasi.core.audit import audit_entries_for
from vokasi.core.forms import query_int
from vokasi.core.masking import mask_nik
from vokasi.core.models import User
from vokasi.core.roles import Perm, Role
from vokasi.training.models import BatchStaff, Participant
from vokasi.training.selectors import seats_taken


def centre_numbers() -> dict[str, Any]:
    """The centre at a glance, for the latest year that has participants (early in a year
    the current one is still empty, and a page of zeros tells staff nothing)."""
    latest = (
        Participant.objects.order_by("-batch__training_starts")
        .values_list("batch__training_starts", flat=True)
        .first()
    )
    year = latest.year if latest else timezone.localdate().year
    by_state = dict(
        Batch.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    participants = Participant.objects.filter(batch__training_starts__year=year).aggregate(
        total=Count("id"),
        graduated=Count("id", filter=Q(status=Participant.Status.GRADUATED)),
        regions=Count("applicant__domicile__parent", distinct=True),
    )
    return {
        "year": year,
        "programmes": Programme.objects.filter(active=True).count(),
        "batches_by_state": [
            (label, by_state.get(value, 0)) for value, label in BatchState.choices
        ],
        "open_seats": _free_seats(
            list(Batch.objects.filter(state=BatchState.OPEN).only("pk", "quota"))
        ),
        "participants": participants["total"],
        "graduated": participants["graduated"],
        "regions": participants["regions"],
        "funding": FundingSource.objects.filter(fiscal_year=year).aggregate(s=Sum("amount"))["s"]
        or 0,
    }


def _free_seats(batches: list[Batch]) -> int:
    taken = seats_taken(batches)
    return sum(max(b.quota - taken.get(b.pk, 0), 0) for b in batches)


def batch_list(*, state: str, programme: str, year: str, search: str) -> QuerySet[Batch]:
    batches = Batch.objects.select_related("programme", "funding", "venue_partner").annotate(
        n_participants=Count(
            "participants", filter=~Q(participants__status=Participant.Status.DROPPED)
        )
    )
    if state in BatchState.values:
        batches = batches.filter(state=state)
    if (programme_id := query_int(programme)) is not None:
        batches = batches.filter(programme_id=programme_id)
    if (year_number := query_int(year, low=2000, high=2100)) is not None:
        batches = batches.filter(training_starts__year=year_number)
    if search:
        batches = batches.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return batches.order_by("-training_starts", "code")


def batch_years() -> list[int]:
    return sorted({d.year for d in Batch.objects.dates("training_starts", "year")}, reverse=True)


def roster_visible(batch: Batch, viewer: User) -> bool:
    """Inmates are shown only to whom they concern: staff allowed to see inmates, the
    prison's own officer, and the instructors and assessors who serve that batch."""
    if batch.venue_partner is None or batch.venue_partner.kind != Partner.Kind.PRISON:
        return True
    if viewer.can(Perm.INMATES_VIEW):
        return True
    if viewer.role == Role.PARTNER:
        return batch.venue_partner_id == viewer.partner_id
    return BatchStaff.objects.filter(batch=batch, user=viewer).exists()


def batch_participants(batch: Batch, *, viewer: User) -> list[dict[str, Any]]:
    """The roster, NIK masked: a list has no need of whole NIKs (an unmasked view of one
    person is a separate, audited page). A partner officer sees only the batches held at
    their own institution.
    """
    if viewer.role == Role.PARTNER and batch.venue_partner_id != viewer.partner_id:
        return []
    if not roster_visible(batch, viewer):
        return []
    rows = batch.participants.select_related("applicant__domicile__parent").order_by("number")
    return [
        {
            "number": p.number,
            "name": p.applicant.full_name,
            "nik": mask_nik(p.applicant.nik),
            "sex": p.applicant.get_sex_display(),
            "regency": p.applicant.domicile.parent.name if p.applicant.domicile.parent else "",
            "status": p.get_status_display(),
        }
        for p in rows
    ]


def programme_list(*, field: str = "", active: str = "", search: str = "") -> QuerySet[Programme]:
    programmes = Programme.objects.annotate(
        n_batches=Count("batches", distinct=True), n_units=Count("units", distinct=True)
    )
    if field:
        programmes = programmes.filter(field=field)
    if active in ("1", "0"):
        programmes = programmes.filter(active=active == "1")
    if search:
        programmes = programmes.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return programmes.order_by("field", "name")


def programme_fields() -> list[str]:
    return list(Programme.objects.order_by("field").values_list("field", flat=True).distinct())


def funding_list() -> QuerySet[FundingSource]:
    return FundingSource.objects.annotate(
        n_batches=Count("batches"), committed=Sum("batches__cost")
    ).select_related("region")


def batch_history(batch: Batch, *, limit: int = 50) -> list[dict[str, Any]]:
    """The batch's audit trail in words: "Draft → Open for registration: reason"."""
    labels = dict(BatchState.choices)
    actions = {
        "batch.create": _("Created"),
        "batch.update": _("Edited"),
    }
    rows = []
    for entry in audit_entries_for(batch)[:limit]:
        if entry.action == "batch.transition":
            summary = f"{labels.get(entry.data.get('source'), '?')} → {labels.get(entry.data.get('target'), '?')}"
            if entry.data.get("reason"):
                summary += f": {entry.data['reason']}"
        else:
            summary = str(actions.get(entry.action, entry.action))
            if entry.data.get("fields"):
                summary += f" ({', '.join(entry.data['fields'])})"
        rows.append({"at": entry.at, "actor": entry.actor, "summary": summary})
    return rows


def batch_places(batch: Batch) -> dict[str, int] | None:
    """Confirmed and still-open places of a batch filled by selection (None otherwise), for
    the warning before the opening."""
    from vokasi.selection.models import Offer, OfferState

    counts = Offer.objects.filter(batch=batch).aggregate(
        accepted=Count("id", filter=Q(state=OfferState.ACCEPTED)),
        open=Count("id", filter=Q(state=OfferState.OPEN)),
    )
    if not counts["accepted"] and not counts["open"]:
        return None
    return {"accepted": counts["accepted"], "open": counts["open"]}
