"""Changes to who takes part in a batch. Every write goes through here, audited."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from vokasi.catalog.models import Batch
from vokasi.core.audit import audit_log
from vokasi.core.models import User
from vokasi.intake.models import Applicant
from vokasi.training.models import Participant
from vokasi.training.selectors import seats_taken


class EnrolmentError(Exception):
    """The message is for staff."""


def participant_enrol(*, batch: Batch, applicant: Applicant, actor: User | None) -> Participant:
    """Puts a person on a batch's roster with the next participant number.

    The batch row is locked, so two simultaneous enrolments never take the same number or a
    seat beyond the quota. Enrolling someone already on the roster returns their record.
    """
    with transaction.atomic():
        locked = Batch.objects.select_for_update().get(pk=batch.pk)
        existing = Participant.objects.filter(batch=locked, applicant=applicant).first()
        if existing is not None:
            return existing
        if seats_taken([locked]).get(locked.pk, 0) >= locked.quota:
            raise EnrolmentError(
                _("The batch is full: all %(n)d seats are taken.") % {"n": locked.quota}
            )
        number = (locked.participants.aggregate(m=Max("number"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                participant = Participant.objects.create(
                    batch=locked, applicant=applicant, number=number
                )
        except IntegrityError as exc:  # pragma: no cover - the lock makes this unreachable
            raise EnrolmentError(_("This person could not be enrolled; try again.")) from exc
        audit_log(actor=actor, action="participant.enrol", obj=participant, applicant=applicant.pk)
    return participant
