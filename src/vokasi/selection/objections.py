"""Objections (sanggahan) to a published result, and staff's answers."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vokasi.core.audit import audit_log
from vokasi.core.models import User
from vokasi.intake.models import Application
from vokasi.intake.services import application_notify
from vokasi.selection.models import Objection, RoundState, SelectionRound

TEXT_MIN, TEXT_MAX = 10, 2000


class ObjectionError(Exception):
    """The message is for the applicant or staff."""


def objection_deadline(round_: SelectionRound) -> dt.datetime | None:
    if round_.published_at is None:
        return None
    return round_.published_at + dt.timedelta(days=round_.objection_days)


def objection_open(round_: SelectionRound, *, now: dt.datetime | None = None) -> bool:
    deadline = objection_deadline(round_)
    return (
        round_.state == RoundState.PUBLISHED
        and deadline is not None
        and (now or timezone.now()) <= deadline
    )


def objection_submit(
    *, round_: SelectionRound, application: Application, text: str, actor: User | None
) -> Objection:
    text = text.strip()
    if not objection_open(round_):
        raise ObjectionError(_("The time to object to this result has passed."))
    if not round_.outcomes.filter(application=application).exists():
        raise ObjectionError(_("This application was not part of the round."))
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        raise ObjectionError(
            _("Please explain your objection in %(low)d to %(high)d characters.")
            % {"low": TEXT_MIN, "high": TEXT_MAX}
        )
    try:
        with transaction.atomic():
            objection = Objection.objects.create(round=round_, application=application, text=text)
            audit_log(actor=actor, action="objection.submit", obj=objection)
    except IntegrityError:
        raise ObjectionError(
            _("You already objected to this result; staff will answer it.")
        ) from None
    return objection


def objection_answer(
    *, objection: Objection, verdict: str, answer: str, actor: User | None, notify: bool = True
) -> Objection:
    """Records the answer once and tells the applicant through the outbox (`notify` is off
    only for historic answers loaded as demo data)."""
    answer = answer.strip()
    if verdict not in Objection.Verdict.values:
        raise ObjectionError(_("Choose whether the objection is upheld."))
    if len(answer) < 10:
        raise ObjectionError(_("Write the answer the applicant will receive."))
    with transaction.atomic():
        changed = Objection.objects.filter(pk=objection.pk, verdict="").update(
            verdict=verdict, answer=answer, answered_at=timezone.now(), answered_by=actor
        )
        if changed != 1:
            raise ObjectionError(_("This objection was already answered."))
        objection.refresh_from_db()
        audit_log(actor=actor, action="objection.answer", obj=objection, verdict=verdict)
        if not notify:
            return objection
        with translation.override("id"):  # the message goes out in Indonesian
            verdict_text = str(objection.get_verdict_display())
        application_notify(
            objection.application,
            "selection_objection_answered",
            key_suffix=str(objection.pk),
            round=objection.round.name,
            verdict=verdict_text,
            answer=answer,
        )
    return objection
