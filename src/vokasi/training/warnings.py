"""Attendance warnings through the outbox, to the participant and to the training staff.

Each warning has an idempotency key made of what makes it distinct, so recording a
session's attendance again (a correction) never sends the same warning twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from vokasi.catalog.models import Batch
from vokasi.core.models import User
from vokasi.core.roles import Role
from vokasi.notifications.services import InvalidRecipient, message_enqueue
from vokasi.training.models import Participant, Session
from vokasi.training.selectors import Standing, batch_standings, rule_for

logger = logging.getLogger(__name__)


def attendance_warnings(*, batch: Batch, session: Session, participant_ids: Iterable[int]) -> int:
    """Queues the warnings the latest attendance calls for; returns how many were due."""
    rule = rule_for(batch.programme)
    due = 0
    for standing in batch_standings(batch, only=participant_ids):
        p = standing.participant
        if p.status != Participant.Status.ACTIVE:
            continue
        if standing.reachable_percent < rule.attendance_threshold:
            due += 1
            _warn(
                standing,
                key=f"training:{p.pk}:threshold",
                template="training_attendance_at_risk",
                context={
                    "percent": round(standing.percent, 1),
                    "threshold": rule.attendance_threshold,
                },
            )
        # Exactly N: the warning comes once per run of absences, when it reaches N.
        if standing.absent_streak == rule.absence_streak:
            due += 1
            _warn(
                standing,
                # Named by the run's first session: saving any of its sessions again
                # (a correction) finds the same key and sends nothing new.
                key=f"training:{p.pk}:streak:{standing.streak_start}",
                template="training_absence_streak",
                context={"count": standing.absent_streak},
            )
    return due


def _warn(standing: Standing, *, key: str, template: str, context: dict[str, object]) -> None:
    p = standing.participant
    applicant = p.applicant
    batch = p.batch
    channel, address = (
        ("email", applicant.email) if applicant.email else ("whatsapp", applicant.phone)
    )
    if address:
        try:
            message_enqueue(
                channel=channel,
                recipient=address,
                template=template,
                context={"name": applicant.full_name, "batch": batch.name} | context,
                language="id",
                idempotency_key=key,
                about=p,
            )
        except InvalidRecipient:
            logger.warning("participant %s: no valid %s address", p.pk, channel)
    with override("id"):
        if template == "training_attendance_at_risk":
            problem = (
                _(
                    "attendance %(percent)s%%, the minimum of %(threshold)s%% can no longer be reached"
                )
                % context
            )
        else:
            problem = _("absent from %(count)s sessions in a row") % context
    url = settings.SITE_URL.rstrip("/") + reverse("backoffice:batch_training", args=[batch.pk])
    for member in User.objects.filter(role=Role.STAFF, is_active=True).exclude(email=""):
        try:
            message_enqueue(
                channel="email",
                recipient=member.email,
                template="training_staff_attendance_warning",
                context={
                    "name": applicant.full_name,
                    "number": p.number,
                    "batch": batch.name,
                    "problem": problem,
                    "url": url,
                },
                language="id",
                idempotency_key=f"{key}:staff:{member.pk}",
                about=p,
            )
        except InvalidRecipient:
            continue
