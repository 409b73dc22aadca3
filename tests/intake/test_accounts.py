"""Applicant accounts: sign up, confirm by code, reset the password."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from vokasi.core.models import User
from vokasi.intake.accounts import (
    MAX_ATTEMPTS,
    AccountError,
    account_confirm,
    applicant_signup,
    password_reset,
    password_reset_request,
)
from vokasi.notifications.models import Message

pytestmark = pytest.mark.django_db
PASSWORD = "kopi-susu-bontang-7"


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


def _code(n: int = -1) -> str:
    body = list(Message.objects.order_by("id"))[n].body
    match = re.search(r"\b(\d{6})\b", body)
    assert match, body
    return match.group(1)


def test_sign_up_with_whatsapp_then_confirm() -> None:
    user = applicant_signup(contact="0812-3456-7890", password=PASSWORD)
    assert user.username == "6281234567890"
    assert user.confirmed_at is None
    message = Message.objects.get()
    assert message.channel == "whatsapp"
    account_confirm(user=user, code=_code())
    assert User.objects.get(pk=user.pk).confirmed_at is not None
    assert user.check_password(PASSWORD)


def test_the_same_number_written_differently_is_the_same_account() -> None:
    user = applicant_signup(contact="+62 812 3456 7890", password=PASSWORD)
    account_confirm(user=user, code=_code())
    with pytest.raises(AccountError, match="exists already"):
        applicant_signup(contact="081234567890", password=PASSWORD)


def test_a_wrong_code_counts_and_enough_of_them_void_it() -> None:
    user = applicant_signup(contact="rina@example.id", password=PASSWORD)
    good = _code()
    for left in range(MAX_ATTEMPTS - 1, -1, -1):
        with pytest.raises(AccountError, match=f"{left} tries left"):
            account_confirm(user=user, code="000000" if good != "000000" else "111111")
    with pytest.raises(AccountError, match="no longer valid"):
        account_confirm(user=user, code=good)


def test_a_new_code_replaces_the_old_one() -> None:
    from vokasi.intake.models import ConfirmationCode

    user = applicant_signup(contact="rina@example.id", password=PASSWORD)
    applicant_signup(contact="rina@example.id", password=PASSWORD)  # again, before confirming
    first, second = ConfirmationCode.objects.order_by("id")
    assert first.used_at is not None and second.used_at is None
    account_confirm(user=user, code=_code())


def test_weak_passwords_and_bad_contacts_are_refused() -> None:
    with pytest.raises(AccountError):
        applicant_signup(contact="rina@example.id", password="12345678")
    with pytest.raises(AccountError, match="WhatsApp number"):
        applicant_signup(contact="halo", password=PASSWORD)


def test_password_reset_by_code_and_silence_for_unknown_contacts() -> None:
    user = applicant_signup(contact="rina@example.id", password=PASSWORD)
    password_reset_request(contact="nobody@example.id")
    assert Message.objects.count() == 1  # nothing sent, nothing said
    password_reset_request(contact="RINA@example.id")
    password_reset(contact="rina@example.id", code=_code(), password="teh-manis-samarinda-9")
    user.refresh_from_db()
    assert user.check_password("teh-manis-samarinda-9")
    assert user.confirmed_at is not None
