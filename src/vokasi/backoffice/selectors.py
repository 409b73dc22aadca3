"""Reads that shape the back office's pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vokasi.backoffice.history import action_label
from vokasi.catalog.models import Batch, BatchState, FundingSource, Partner, Programme
from vokasi.core.audit import audit_entries_for
from vokasi.core.forms import query_int
from vokasi.core.masking import mask_nik
from vokasi.core.models import User
from vokasi.core.roles import Perm, Role
from vokasi.training.models import BatchStaff, Participant, StaffRole
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
    # The same counts as the batch page's heading (`batch_counts`): those still on the
    # roster against the quota, with the dropouts beside them.
    batches = Batch.objects.select_related("programme", "funding", "venue_partner").annotate(
        n_participants=Count(
            "participants", filter=~Q(participants__status=Participant.Status.DROPPED)
        ),
        n_dropped=Count("participants", filter=Q(participants__status=Participant.Status.DROPPED)),
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
    """People are shown only to whom they concern. Instructors and assessors see the
    batches they serve (personal data on a need-to-know basis); inmates only staff allowed
    to see inmates, the prison's own officer and that batch's instructors and assessors."""
    if viewer.role in (Role.INSTRUCTOR, Role.ASSESSOR):
        return BatchStaff.objects.filter(batch=batch, user=viewer).exists()
    if batch.venue_partner is None or batch.venue_partner.kind != Partner.Kind.PRISON:
        return True
    if viewer.can(Perm.INMATES_VIEW):
        return True
    if viewer.role == Role.PARTNER:
        return batch.venue_partner_id == viewer.partner_id
    return BatchStaff.objects.filter(batch=batch, user=viewer).exists()


def roster_shown(batch: Batch, viewer: User) -> bool:
    """Whether the batch page lists its people to this viewer: a partner officer sees only
    the batches held at their own institution, and inmates only whom they concern."""
    if viewer.role == Role.PARTNER and batch.venue_partner_id != viewer.partner_id:
        return False
    return roster_visible(batch, viewer)


def batch_counts(batch: Batch) -> dict[str, int]:
    """Participants still on the roster (in training or finished) and those who dropped
    out: the batch list shows the same numbers."""
    counts = batch.participants.aggregate(
        active=Count("id", filter=~Q(status=Participant.Status.DROPPED)),
        dropped=Count("id", filter=Q(status=Participant.Status.DROPPED)),
    )
    return {"active": counts["active"], "dropped": counts["dropped"]}


def batch_instructors(batch: Batch) -> list[User]:
    """Who teaches the batch: its training staff once there is one (the opening copies the
    catalogue's instructors into it, and staff change it afterwards), else the instructors
    named in the catalogue."""
    staffed = list(
        User.objects.filter(staffing__batch=batch, staffing__role=StaffRole.INSTRUCTOR)
        .distinct()
        .order_by("full_name")
    )
    return staffed or list(batch.instructors.order_by("full_name"))


def batch_participants(batch: Batch, *, viewer: User) -> list[dict[str, Any]]:
    """The roster, NIK masked: a list has no need of whole NIKs (an unmasked view of one
    person is a separate, audited page). Empty when `roster_shown` says no.
    """
    if not roster_shown(batch, viewer):
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
    """The batch's audit trail in words: "Draft → Open for registration: reason",
    "Added to the staff: Bambang Supriyadi", "Certificates issued (16)"."""
    labels = dict(BatchState.choices)
    entries = list(audit_entries_for(batch)[:limit])
    # The staff entries name a user by id: their names in one query.
    people = dict(
        User.objects.filter(
            pk__in={
                e.data["user"]
                for e in entries
                if e.action in ("batch.staff_add", "batch.staff_remove")
                and isinstance(e.data.get("user"), int)
            }
        ).values_list("pk", "full_name")
    )
    rows = []
    for entry in entries:
        data = entry.data
        if entry.action == "batch.transition":
            summary = (
                f"{labels.get(data.get('source'), '?')} → {labels.get(data.get('target'), '?')}"
            )
            if data.get("reason"):
                summary += f": {data['reason']}"
        else:
            summary = action_label(entry.action)
            detail = _history_detail(entry.action, data, people)
            if detail:
                summary += f" ({detail})" if entry.action != "session.delete" else f": {detail}"
        rows.append({"at": entry.at, "actor": entry.actor, "summary": summary})
    return rows


def _history_detail(action: str, data: dict[str, Any], people: dict[int, str]) -> str:
    """The few facts an entry's data adds, in words."""
    if data.get("fields"):
        return ", ".join(str(f) for f in data["fields"])
    if action in ("batch.staff_add", "batch.staff_remove"):
        return people.get(data.get("user") or 0, "")
    if action == "batch.close":
        return _("%(graduated)s graduated, %(failed)s not graduated") % {
            "graduated": data.get("graduated", 0),
            "failed": data.get("not_graduated", 0),
        }
    if action == "schedule.generate" and "sessions" in data:
        n = int(data["sessions"])
        return ngettext("%(n)s session", "%(n)s sessions", n) % {"n": n}
    if action == "certificate.issue_batch" and "count" in data:
        return str(data["count"])
    if action == "session.delete":
        return str(data.get("session", ""))
    if action.startswith("class_size.") and data.get("reason"):
        return str(data["reason"])
    return ""


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
