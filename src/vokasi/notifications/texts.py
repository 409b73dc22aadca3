"""The texts of messages: one entry per template key, written once in English and
translated through gettext like every other string (locale/id/LC_MESSAGES/django.po).

A Python registry rather than template files: makemessages finds the strings, a missing
placeholder is caught when a message is queued (not when it is sent), and a test checks
that every text has its Indonesian translation. Placeholders are `%(name)s`, the form
translators already know; a WhatsApp message is the body alone, so it must stand alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class UnknownTemplate(ValueError):
    """A template key with no text: a programming error, caught by tests."""


@dataclass(frozen=True, slots=True)
class MessageText:
    subject: str | Promise
    body: str | Promise
    fields: tuple[str, ...]


TEXTS: dict[str, MessageText] = {
    "account_confirm_code": MessageText(
        subject=_("Your confirmation code: %(code)s"),
        body=_(
            "Your confirmation code for %(site)s is %(code)s. It is valid for %(minutes)s "
            "minutes. Do not share this code with anyone; our staff will never ask for it."
        ),
        fields=("code", "minutes", "site"),
    ),
    "password_reset_code": MessageText(
        subject=_("Password reset code: %(code)s"),
        body=_(
            "Someone asked to reset the password of your account at %(site)s. If it was "
            "you, enter the code %(code)s (valid for %(minutes)s minutes). If it was not "
            "you, ignore this message; your password stays as it is."
        ),
        fields=("code", "minutes", "site"),
    ),
    "application_submitted": MessageText(
        subject=_("Application %(number)s received"),
        body=_(
            "Hello %(name)s, we have received your application %(number)s. Our staff will "
            "check your documents; you can follow its status at %(url)s"
        ),
        fields=("name", "number", "url"),
    ),
    "application_documents_to_fix": MessageText(
        subject=_("Application %(number)s: documents to fix"),
        body=_(
            "Hello %(name)s, some documents of your application %(number)s need to be "
            "fixed: %(reason)s. Please upload them again at %(url)s before registration "
            "closes."
        ),
        fields=("name", "number", "reason", "url"),
    ),
    "application_verified": MessageText(
        subject=_("Application %(number)s verified"),
        body=_(
            "Hello %(name)s, your application %(number)s has been verified. We will tell "
            "you the selection result; you can also follow it at %(url)s"
        ),
        fields=("name", "number", "url"),
    ),
    "selection_admitted": MessageText(
        subject=_("Selection result %(number)s: admitted"),
        body=_(
            "Hello %(name)s, congratulations: in %(round)s your application %(number)s was admitted "
            "to %(batch)s. Confirm your place (daftar ulang) at %(url)s before the deadline the "
            "centre announces."
        ),
        fields=("name", "number", "round", "batch", "url"),
    ),
    "selection_waiting": MessageText(
        subject=_("Selection result %(number)s: waiting list"),
        body=_(
            "Hello %(name)s, in %(round)s your application %(number)s did not get a seat yet. You "
            "are number %(position)s on the waiting list of %(batch)s; if a seat is freed, we will "
            "tell you. The result and how it was decided: %(url)s"
        ),
        fields=("name", "number", "round", "batch", "position", "url"),
    ),
    "selection_objection_answered": MessageText(
        subject=_("Your objection %(number)s: %(verdict)s"),
        body=_(
            "Hello %(name)s, the centre answered your objection to the result of %(round)s "
            "(%(number)s): %(verdict)s. %(answer)s Details: %(url)s"
        ),
        fields=("name", "number", "round", "verdict", "answer", "url"),
    ),
    "selection_batch_postponed": MessageText(
        subject=_("%(batch)s is postponed"),
        body=_(
            "Hello %(name)s, the training %(batch)s is postponed: %(reason)s. Your place is "
            "kept; we will tell you the new dates. Your status: %(url)s"
        ),
        fields=("name", "batch", "reason", "url"),
    ),
    "selection_batch_merged": MessageText(
        subject=_("Your place moved to %(batch)s"),
        body=_(
            "Hello %(name)s, %(old)s is merged into %(batch)s (%(reason)s). Your place moved "
            "with you; the dates may differ. Your status: %(url)s"
        ),
        fields=("name", "old", "batch", "reason", "url"),
    ),
    "training_attendance_at_risk": MessageText(
        subject=_("Attendance warning: %(batch)s"),
        body=_(
            "Hello %(name)s, your attendance in %(batch)s is %(percent)s%%. Even if you attend "
            "every remaining session you cannot reach the minimum of %(threshold)s%% needed to "
            "graduate. Please contact the training staff."
        ),
        fields=("name", "batch", "percent", "threshold"),
    ),
    "training_absence_streak": MessageText(
        subject=_("Attendance warning: %(batch)s"),
        body=_(
            "Hello %(name)s, you have been absent from %(count)s sessions of %(batch)s in a row. "
            "If something is keeping you away, please tell the training staff."
        ),
        fields=("name", "batch", "count"),
    ),
    "training_staff_attendance_warning": MessageText(
        subject=_("Attendance warning: participant %(number)s of %(batch)s"),
        body=_(
            "Participant %(number)s (%(name)s) of %(batch)s: %(problem)s. The participant has "
            "been told too. %(url)s"
        ),
        fields=("name", "number", "batch", "problem", "url"),
    ),
    "bnsp_certificate_expiring": MessageText(
        subject=_("Your BNSP certificate expires on %(date)s"),
        body=_(
            "Hello %(name)s, your BNSP competency certificate %(number)s (%(scheme)s) is "
            "valid until %(date)s, %(days)s days from now. To keep it, ask the certification "
            "body (LSP) about recertification in time; the training centre can help."
        ),
        fields=("name", "number", "scheme", "date", "days"),
    ),
    "tracer_survey": MessageText(
        subject=_("How are you doing, %(name)s? A short question from the training centre"),
        body=_(
            "Hello %(name)s, %(months)s months ago you finished %(batch)s. Are you working, "
            "running a business, studying, or still looking? Please tell us in one minute: "
            "%(url)s (the link is yours alone and works for %(days)s days). Your answer helps "
            "us improve the training and pass on vacancies."
        ),
        fields=("name", "months", "batch", "url", "days"),
    ),
    "vacancy_referral": MessageText(
        subject=_("Vacancy for you: %(position)s at %(employer)s"),
        body=_(
            "Hello %(name)s, the training centre has put you forward for a vacancy: "
            "%(position)s at %(employer)s (%(place)s), closing %(closes)s. Our staff will "
            "contact you about the next step; reply to this message if you are not interested."
        ),
        fields=("name", "position", "employer", "place", "closes"),
    ),
}


def render(*, template: str, context: Mapping[str, object], language: str) -> tuple[str, str]:
    """The subject and body of `template` in `language`, filled from `context`."""
    try:
        text = TEXTS[template]
    except KeyError:
        raise UnknownTemplate(f"no message text named {template!r}") from None
    missing = sorted(set(text.fields) - set(context))
    if missing:
        raise ValueError(f"message {template!r} needs {', '.join(missing)} in its context")
    values = {key: str(value) for key, value in context.items()}
    with translation.override(language):
        subject = str(text.subject) % values
        body = str(text.body) % values
    # A subject is one line; a value with a newline in it must not start a mail header.
    return " ".join(subject.split())[:200], body
