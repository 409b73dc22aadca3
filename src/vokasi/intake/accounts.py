"""Applicant accounts: sign up with an email address or a WhatsApp number, confirm it
with a 6-digit code from the outbox, and reset a forgotten password the same way.

The account's username is the contact itself in a normal form (lower-case email, or the
WhatsApp number as 62…), so "0812…" and "+62 812…" are the same account.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vokasi.core.audit import audit_log
from vokasi.core.models import User
from vokasi.core.roles import Role
from vokasi.intake.models import ConfirmationCode
from vokasi.notifications.services import (
    InvalidRecipient,
    message_enqueue,
    normalize_whatsapp_number,
)

CODE_MINUTES = 15
MAX_ATTEMPTS = 5
CODES_PER_DAY = 10


class AccountError(ValueError):
    """The message is for the applicant."""


@dataclass(frozen=True)
class Contact:
    channel: str  # "email" or "whatsapp"
    address: str  # normal form, also the username


def parse_contact(text: str) -> Contact:
    text = text.strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise AccountError(_("That is not an email address.")) from None
        return Contact("email", text.lower())
    try:
        return Contact("whatsapp", normalize_whatsapp_number(text))
    except InvalidRecipient:
        raise AccountError(
            _("Type an email address or a WhatsApp number such as 0812 3456 7890.")
        ) from None


def applicant_signup(*, contact: str, password: str, language: str = "id") -> User:
    """Creates an unconfirmed applicant account and sends its confirmation code."""
    parsed = parse_contact(contact)
    try:
        validate_password(password)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from None
    with transaction.atomic():
        existing = User.objects.filter(username=parsed.address).first()
        if existing is not None:
            if existing.confirmed_at is not None or existing.role != Role.APPLICANT:
                raise AccountError(
                    _("An account with this contact exists already. Log in, or reset the password.")
                )
            # Signed up before but never confirmed: send a new code, but keep the password
            # (whoever asks again may not be the owner); a forgotten one is reset by code.
            code_send(user=existing, purpose=ConfirmationCode.Purpose.CONFIRM, language=language)
            return existing
        else:
            user = User(username=parsed.address, role=Role.APPLICANT)
            if parsed.channel == "email":
                user.email = parsed.address
            else:
                user.phone = parsed.address
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise AccountError(
                _("An account with this contact exists already. Log in, or reset the password.")
            ) from None
        code_send(user=user, purpose=ConfirmationCode.Purpose.CONFIRM, language=language)
        audit_log(actor=user, action="account.signup", obj=user)
    return user


def code_send(*, user: User, purpose: str, language: str = "id") -> ConfirmationCode:
    """Issues a new code (earlier unused ones stop working) and queues it to the contact."""
    now = timezone.now()
    sent_today = ConfirmationCode.objects.filter(
        user=user, created_at__gte=now - dt.timedelta(days=1)
    ).count()
    if sent_today >= CODES_PER_DAY:
        raise AccountError(_("Too many codes were sent to this account today. Try again tomorrow."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        ConfirmationCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
            used_at=now
        )
        record = ConfirmationCode.objects.create(
            user=user,
            purpose=purpose,
            code_hash=make_password(code),
            expires_at=now + dt.timedelta(minutes=CODE_MINUTES),
        )
        channel, address = ("email", user.email) if user.email else ("whatsapp", user.phone)
        message_enqueue(
            channel=channel,
            recipient=address,
            template="account_confirm_code"
            if purpose == ConfirmationCode.Purpose.CONFIRM
            else "password_reset_code",
            context={"code": code, "minutes": CODE_MINUTES},
            language=language,
            idempotency_key=f"code:{record.pk}",
            about=user,
        )
    return record


def code_check(*, user: User, purpose: str, code: str) -> None:
    """Uses the user's latest code if `code` matches; raises AccountError otherwise."""
    with transaction.atomic():
        record = (
            ConfirmationCode.objects.select_for_update()
            .filter(user=user, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if record is None or record.expires_at < timezone.now() or record.attempts >= MAX_ATTEMPTS:
            error = _("This code is no longer valid. Ask for a new one.")
        elif not check_password(code.strip(), record.code_hash):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            error = _("The code is not right. %(left)d tries left.") % {
                "left": MAX_ATTEMPTS - record.attempts
            }
        else:
            record.used_at = timezone.now()
            record.save(update_fields=["used_at"])
            return
    # Raised after the commit, so that a wrong guess still counts against the code.
    raise AccountError(error)


def account_confirm(*, user: User, code: str) -> User:
    code_check(user=user, purpose=ConfirmationCode.Purpose.CONFIRM, code=code)
    User.objects.filter(pk=user.pk, confirmed_at__isnull=True).update(confirmed_at=timezone.now())
    user.refresh_from_db()
    audit_log(actor=user, action="account.confirm", obj=user)
    return user


def password_reset_request(*, contact: str, language: str = "id") -> None:
    """Sends a reset code if such an applicant exists; says nothing either way, so the form
    cannot be used to find out who has an account."""
    try:
        parsed = parse_contact(contact)
    except AccountError:
        return
    user = User.objects.filter(username=parsed.address, role=Role.APPLICANT, is_active=True).first()
    if user is not None:
        # Silent when the daily cap is reached, too: the answer must not tell who exists.
        with contextlib.suppress(AccountError):
            code_send(user=user, purpose=ConfirmationCode.Purpose.RESET, language=language)


def password_reset(*, contact: str, code: str, password: str) -> User:
    parsed = parse_contact(contact)
    user = User.objects.filter(username=parsed.address, role=Role.APPLICANT, is_active=True).first()
    if user is None:
        raise AccountError(_("This code is no longer valid. Ask for a new one."))
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from None
    code_check(user=user, purpose=ConfirmationCode.Purpose.RESET, code=code)
    user.set_password(password)
    if user.confirmed_at is None:
        user.confirmed_at = timezone.now()  # the code reached them: the contact works
    user.save(update_fields=["password", "confirmed_at"])
    audit_log(actor=user, action="account.password_reset", obj=user)
    return user
