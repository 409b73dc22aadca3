"""What waits for the signed-in member of staff, for the overview page.

Each item is one count with a link to the page where it is dealt with, shown only to
whom may act on it and only while the count is above zero: a to-do list, not a report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from vokasi.catalog.models import Batch, BatchState
from vokasi.certificates.models import CertificateState, TrainingCertificate
from vokasi.core.models import User
from vokasi.core.roles import Perm
from vokasi.intake.models import Application, ApplicationStatus
from vokasi.notifications.models import Message, MessageState
from vokasi.selection.models import Objection
from vokasi.training.models import Participant


@dataclass(frozen=True)
class ToDo:
    text: str
    url: str


def to_do(user: User, *, today: dt.date | None = None) -> list[ToDo]:
    today = today or timezone.localdate()
    items: list[ToDo] = []
    if user.can(Perm.APPLICATIONS_MANAGE):
        items += _applications() + _selection()
    if user.can(Perm.TRAINING_MANAGE):
        items += _attendance(today)
    if user.can(Perm.CERTIFICATES_MANAGE):
        items += _certificates()
    if user.can(Perm.PERSONAL_DATA_VIEW):
        items += _messages()
    return items


def _applications() -> list[ToDo]:
    n = Application.objects.filter(status=ApplicationStatus.SUBMITTED).count()
    if not n:
        return []
    text = ngettext(
        "%(n)d application waits for verification.",
        "%(n)d applications wait for verification.",
        n,
    )
    return [ToDo(text % {"n": n}, reverse("backoffice:applications"))]


def _selection() -> list[ToDo]:
    items = []
    waiting = (
        Batch.objects.filter(state=BatchState.SELECTION, intake__isnull=False)
        .exclude(intake__rounds__isnull=False)
        .count()
    )
    if waiting:
        text = ngettext(
            "%(n)d batch in selection has no selection round yet.",
            "%(n)d batches in selection have no selection round yet.",
            waiting,
        )
        items.append(ToDo(text % {"n": waiting}, reverse("backoffice:rounds")))
    unanswered = (
        Objection.objects.filter(verdict="")
        .values("round_id")
        .annotate(n=Count("id"))
        .order_by("round_id")[:5]
    )
    for row in unanswered:
        round_id, n = row["round_id"], row["n"]
        text = ngettext(
            "%(n)d objection waits for an answer.", "%(n)d objections wait for an answer.", n
        )
        items.append(ToDo(text % {"n": n}, reverse("backoffice:round_objections", args=[round_id])))
    return items


def _attendance(today: dt.date) -> list[ToDo]:
    # Sessions held before today whose attendance nobody recorded, per running batch.
    batches = (
        Batch.objects.filter(state=BatchState.RUNNING)
        .annotate(
            missing=Count(
                "sessions",
                filter=Q(sessions__date__lt=today, sessions__attendance_taken_at__isnull=True),
            )
        )
        .filter(missing__gt=0)
        .order_by("training_starts")[:5]
    )
    items = []
    for batch in batches:
        text = ngettext(
            "%(batch)s: attendance of %(n)d past session is not recorded.",
            "%(batch)s: attendance of %(n)d past sessions is not recorded.",
            batch.missing,
        )
        items.append(
            ToDo(
                text % {"batch": batch.code, "n": batch.missing},
                reverse("backoffice:batch_schedule", args=[batch.pk]),
            )
        )
    return items


def _certificates() -> list[ToDo]:
    in_force = TrainingCertificate.objects.filter(
        participant=OuterRef("pk"), state__in=[CertificateState.VALID, CertificateState.REVOKED]
    )
    n = (
        Participant.objects.filter(
            status=Participant.Status.GRADUATED, batch__state=BatchState.COMPLETED
        )
        .filter(~Q(Exists(in_force)))
        .count()
    )
    if not n:
        return []
    text = ngettext(
        "%(n)d graduate has no training certificate yet.",
        "%(n)d graduates have no training certificate yet.",
        n,
    )
    return [ToDo(text % {"n": n}, reverse("backoffice:certificates"))]


def _messages() -> list[ToDo]:
    n = Message.objects.filter(state=MessageState.FAILED).count()
    if not n:
        return []
    text = ngettext(
        "%(n)d message could not be delivered.", "%(n)d messages could not be delivered.", n
    )
    return [ToDo(text % {"n": n}, reverse("notifications:outbox") + "?state=failed")]
