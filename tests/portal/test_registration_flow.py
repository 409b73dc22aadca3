"""An applicant signs up, confirms, applies, follows the status and gets a receipt."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import BatchFactory, CentreFactory
from vokasi.catalog.models import BatchState, Intake
from vokasi.core.models import User
from vokasi.intake.models import Application, ApplicationStatus
from vokasi.notifications.models import Message

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def intake(db: None) -> Intake:
    intake = Intake.objects.create(centre=CentreFactory(), name="Gelombang I", code="REG-W")
    today = timezone.localdate()
    BatchFactory(
        intake=intake,
        state=BatchState.OPEN,
        name="Las Angkatan I",
        code="LAS-W-1",
        registration_opens=today - dt.timedelta(days=3),
        registration_closes=today + dt.timedelta(days=9),
        training_starts=today + dt.timedelta(days=20),
        training_ends=today + dt.timedelta(days=60),
    )
    return intake


def _code() -> str:
    match = re.search(r"\b(\d{6})\b", Message.objects.order_by("-id").first().body)  # type: ignore[union-attr]
    assert match
    return match.group(1)


def _signed_up(client: Client, contact: str = "0812 3456 7890") -> None:
    response = client.post(
        reverse("portal:signup"),
        {"contact": contact, "password": "kopi-susu-7", "password2": "kopi-susu-7"},
    )
    assert response.status_code == 302, response.content.decode()
    response = client.post(reverse("portal:confirm"), {"code": _code()})
    assert response["Location"] == reverse("portal:apply")


def _form(intake: Intake, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "nik": "6474011203980007",
        "full_name": "Muhammad Rizky Saputra",
        "birth_place": "Bontang",
        "birth_date": "1998-03-12",
        "sex": "M",
        "province": "64",
        "regency": "6474",
        "district": "647401",
        "address": "Jl. Ahmad Yani No. 5",
        "schooling": "30",
        "employment": "unemployed",
        "phone": "081234567890",
        "choice_1": str(intake.batches.get().pk),
        "consent": "on",
        "ktp": SimpleUploadedFile("ktp.pdf", PDF),
    }
    return data | fields


def test_the_whole_way_from_sign_up_to_receipt(client: Client, intake: Intake) -> None:
    _signed_up(client)
    page = client.get(reverse("portal:apply") + "?paket=LAS-W-1")
    assert page.status_code == 200
    response = client.post(reverse("portal:apply"), _form(intake))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.applicant.user == User.objects.get(username="6281234567890")
    status = client.get(reverse("portal:application_status")).content.decode()
    assert application.number in status
    receipt = client.get(reverse("portal:application_receipt", args=[application.number]))
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")
    # Going back to the form leads to editing, not to a second application.
    assert client.get(reverse("portal:apply"))["Location"].endswith(f"/{application.number}/ubah/")


def test_a_wrong_nik_keeps_what_was_typed(client: Client, intake: Intake) -> None:
    _signed_up(client)
    html = client.post(
        reverse("portal:apply"), _form(intake, nik="6474011203990007")
    ).content.decode()
    assert "12-03-1999" in html or "1999" in html
    assert 'value="Muhammad Rizky Saputra"' in html
    assert not Application.objects.exists()


def test_fix_requested_then_reupload(client: Client, intake: Intake, staff: User) -> None:
    from vokasi.intake.services import application_request_fix

    _signed_up(client)
    client.post(reverse("portal:apply"), _form(intake))
    application = Application.objects.get()
    application_request_fix(application=application, reason="Foto KTP buram", actor=staff)
    assert "Foto KTP buram" in client.get(reverse("portal:application_status")).content.decode()
    client.post(
        reverse("portal:application_upload", args=[application.number]),
        {"ktp": SimpleUploadedFile("k.png", b"\x89PNG\r\n\x1a\n00")},
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_someone_elses_application_is_not_found(client: Client, intake: Intake) -> None:
    _signed_up(client)
    client.post(reverse("portal:apply"), _form(intake))
    number = Application.objects.get().number
    other = Client()
    _signed_up(other, "rina@example.id")
    assert other.get(reverse("portal:application_receipt", args=[number])).status_code == 404
    assert other.post(reverse("portal:application_withdraw", args=[number])).status_code == 404


def test_staff_and_strangers_cannot_open_the_applicant_pages(client: Client, staff: User) -> None:
    assert client.get(reverse("portal:application_status"))["Location"].startswith(reverse("login"))
    client.force_login(staff)
    assert client.get(reverse("portal:apply"))["Location"].startswith(reverse("login"))


def test_login_with_the_number_written_another_way(client: Client, intake: Intake) -> None:
    _signed_up(client)
    client.logout()
    response = client.post(
        reverse("login"), {"username": "+62 812-3456-7890", "password": "kopi-susu-7"}
    )
    assert response["Location"] == reverse("portal:application_status")


def test_bots_filling_the_honeypot_get_no_account(client: Client) -> None:
    response = client.post(
        reverse("portal:signup"),
        {
            "contact": "bot@example.id",
            "password": "kopi-susu-7",
            "password2": "kopi-susu-7",
            "website": "http://spam",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="bot@example.id").exists()


def test_login_attempts_are_throttled(client: Client, staff: User) -> None:
    cache.clear()
    for _ in range(10):
        client.post(reverse("login"), {"username": "staf", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "staf", "password": "pw"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_file_chosen_before_an_error_is_kept_for_the_next_try(
    client: Client, intake: Intake
) -> None:
    _signed_up(client)
    html = client.post(
        reverse("portal:apply"), _form(intake, nik="6474011203990007")
    ).content.decode()
    token = re.search(r'name="ktp_token" value="([^"]+)"', html)
    assert token, "the good KTP file should be kept under a token"
    data = _form(intake)
    del data["ktp"]
    data["ktp_token"] = token.group(1)
    assert client.post(reverse("portal:apply"), data).status_code == 302
    document = Application.objects.get().documents.get()
    assert document.content_type == "application/pdf"


def test_a_refused_diploma_is_named_beside_its_field_and_the_good_ktp_is_kept(
    client: Client, intake: Intake
) -> None:
    _signed_up(client)
    program = SimpleUploadedFile("ijazah.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    html = client.post(reverse("portal:apply"), _form(intake, diploma=program)).content.decode()
    assert not Application.objects.exists()
    at = html.index('name="diploma"')
    diploma_field = html[at : html.index("</div>", at)]  # the field's input, help and errors
    assert "Hanya berkas PDF, JPEG, atau PNG yang diterima" in diploma_field
    ktp_at = html.index('name="ktp"')
    assert "Hanya berkas" not in html[ktp_at : html.index("</div>", ktp_at)]
    token = re.search(r'name="ktp_token" value="([^"]+)"', html)
    assert token, "the good KTP should be kept under a token"
    assert not re.search(r'name="diploma_token" value="[^"]+"', html)
    data = _form(intake, diploma=SimpleUploadedFile("ijazah.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64))
    del data["ktp"]
    data["ktp_token"] = token.group(1)
    assert client.post(reverse("portal:apply"), data).status_code == 302
    kinds = set(Application.objects.get().documents.values_list("kind", "content_type"))
    assert kinds == {("ktp", "application/pdf"), ("diploma", "image/png")}


def test_a_forged_token_is_ignored(client: Client, intake: Intake) -> None:
    _signed_up(client)
    data = _form(intake)
    del data["ktp"]
    data["ktp_token"] = "../../etc/passwd"
    html = client.post(reverse("portal:apply"), data).content.decode()
    assert not Application.objects.exists()
    assert "KTP" in html


def test_a_double_click_on_send_leaves_one_application_and_a_calm_answer(
    client: Client, intake: Intake
) -> None:
    _signed_up(client)
    assert client.post(reverse("portal:apply"), _form(intake)).status_code == 302
    second = client.post(reverse("portal:apply"), _form(intake))
    assert second.status_code == 302  # to the existing application, not an error page
    assert Application.objects.count() == 1


def _second_intake(intake: Intake) -> Intake:
    today = timezone.localdate()
    other = Intake.objects.create(centre=intake.centre, name="Gelombang II", code="REG-W2")
    BatchFactory(
        intake=other,
        state=BatchState.OPEN,
        name="Barista",
        code="BAR-W-1",
        registration_opens=today - dt.timedelta(days=3),
        registration_closes=today + dt.timedelta(days=9),
        training_starts=today + dt.timedelta(days=20),
        training_ends=today + dt.timedelta(days=60),
    )
    return other


def test_one_account_holds_one_person(client: Client, intake: Intake) -> None:
    _signed_up(client)
    client.post(reverse("portal:apply"), _form(intake))
    intake.batches.update(state=BatchState.SELECTION)
    other = _second_intake(intake)
    data = _form(other, nik="6474015203980007", sex="F", birth_date="1998-03-12")
    data["choice_1"] = str(other.batches.get().pk)
    response = client.post(reverse("portal:apply"), data)
    assert response.status_code == 200
    assert "647401********07" in response.content.decode()
    assert Application.objects.count() == 1


def test_an_account_cannot_take_over_a_walk_in(client: Client, intake: Intake, staff: User) -> None:
    from tests.factories import region
    from vokasi.intake.services import ApplicantData, application_submit

    walk_in = application_submit(
        data=ApplicantData(
            nik="6474011203980007",
            full_name="Muhammad Rizky Saputra",
            birth_place="Bontang",
            birth_date=dt.date(1998, 3, 12),
            sex="M",
            domicile=region("647401"),
            schooling=30,
            phone="081299990000",
        ),
        intake=intake,
        batches=list(intake.batches.all()),
        user=None,
        entered_by=staff,
    )
    _signed_up(client, "rina@example.id")
    intake.batches.update(state=BatchState.SELECTION)
    other = _second_intake(intake)
    data = _form(other, full_name="Orang Lain")
    data["choice_1"] = str(other.batches.get().pk)
    html = client.post(reverse("portal:apply"), data).content.decode()
    walk_in.applicant.refresh_from_db()
    assert walk_in.applicant.user is None
    assert walk_in.applicant.full_name == "Muhammad Rizky Saputra"
    assert walk_in.number not in html


def test_no_upload_after_verification_but_an_edit_sends_it_back_to_the_queue(
    client: Client, intake: Intake, staff: User
) -> None:
    from vokasi.intake.services import application_verify

    _signed_up(client)
    client.post(reverse("portal:apply"), _form(intake))
    application = Application.objects.get()
    application_verify(application=application, actor=staff)
    client.post(
        reverse("portal:application_upload", args=[application.number]),
        {"ktp": SimpleUploadedFile("k.png", b"\x89PNG\r\n\x1a\n00")},
    )
    application.refresh_from_db()
    assert application.documents.get().content_type == "application/pdf"
    assert application.status == ApplicationStatus.ELIGIBLE
    data = _form(intake, schooling="50")
    del data["ktp"]
    assert (
        client.post(reverse("portal:application_edit", args=[application.number]), data).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_failed_edit_keeps_the_saved_document_file(client: Client, intake: Intake) -> None:
    _signed_up(client)
    client.post(reverse("portal:apply"), _form(intake))
    application = Application.objects.get()
    before = application.documents.get()
    data = _form(intake, diploma=SimpleUploadedFile("d.pdf", b"MZ\x90\x00" * 10))
    data["ktp"] = SimpleUploadedFile("k.png", b"\x89PNG\r\n\x1a\n00")
    client.post(reverse("portal:application_edit", args=[application.number]), data)
    document = application.documents.get()
    assert document.pk == before.pk
    assert document.file.storage.exists(document.file.name)


def test_the_second_file_chosen_wins(client: Client, intake: Intake) -> None:
    _signed_up(client)
    first = client.post(
        reverse("portal:apply"), _form(intake, nik="6474011203990007")
    ).content.decode()
    token = re.search(r'name="ktp_token" value="([^"]+)"', first)
    assert token
    png = b"\x89PNG\r\n\x1a\n" + b"1" * 40
    second = client.post(
        reverse("portal:apply"),
        _form(
            intake,
            nik="6474011203990007",
            ktp=SimpleUploadedFile("b.png", png),
            ktp_token=token.group(1),
        ),
    ).content.decode()
    token2 = re.search(r'name="ktp_token" value="([^"]+)"', second)
    assert token2 and token2.group(1) != token.group(1)
    data = _form(intake, ktp_token=token2.group(1))
    del data["ktp"]
    client.post(reverse("portal:apply"), data)
    assert Application.objects.get().documents.get().content_type == "image/png"


def test_re_signing_up_does_not_change_the_password(client: Client) -> None:
    client.post(
        reverse("portal:signup"),
        {"contact": "rina@example.id", "password": "kopi-susu-7", "password2": "kopi-susu-7"},
    )
    Client().post(
        reverse("portal:signup"),
        {"contact": "rina@example.id", "password": "teh-manis-9x", "password2": "teh-manis-9x"},
    )
    assert User.objects.get(username="rina@example.id").check_password("kopi-susu-7")


def test_a_spoofed_forwarded_for_does_not_escape_the_throttle(client: Client, staff: User) -> None:
    cache.clear()
    for i in range(10):
        client.post(
            reverse("login"),
            {"username": "staf", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        )
    response = client.post(
        reverse("login"), {"username": "staf", "password": "pw"}, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def _choice_1(client: Client, url: str) -> Any:
    page = client.get(url)
    assert page.status_code == 200, page
    return page.context["form"]["choice_1"].value()


def test_the_batch_chosen_before_sign_up_is_the_first_choice_after_confirming(
    client: Client, intake: Intake
) -> None:
    batch = intake.batches.get()
    # "Daftar" on the batch card of a visitor who has no account yet.
    start = f"{reverse('portal:apply')}?paket={batch.code}"
    to_login = client.get(start)["Location"]
    login_page = client.get(to_login).content.decode()
    signup_link = re.search(r'href="(/akun/daftar/\?next=[^"]+)"', login_page)
    assert signup_link, "the log-in page's sign-up link carries the batch"
    signup_url = signup_link.group(1).replace("&amp;", "&")
    assert f'name="next" value="{start}"' in client.get(signup_url).content.decode()
    response = client.post(
        reverse("portal:signup"),
        {
            "contact": "0812 3456 7890",
            "password": "kopi-susu-7",
            "password2": "kopi-susu-7",
            "next": start,
        },
    )
    assert response["Location"] == reverse("portal:confirm")
    response = client.post(reverse("portal:confirm"), {"code": _code()})
    assert response["Location"] == start
    assert _choice_1(client, start) == batch.pk


@pytest.mark.parametrize(
    "bad",
    [
        "https://evil.example/pendaftaran/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "pendaftaran/",
    ],
)
def test_a_next_to_another_site_is_ignored(client: Client, intake: Intake, bad: str) -> None:
    client.post(
        reverse("portal:signup"),
        {
            "contact": "0812 3456 7890",
            "password": "kopi-susu-7",
            "password2": "kopi-susu-7",
            "next": bad,
        },
    )
    response = client.post(reverse("portal:confirm"), {"code": _code()})
    assert response["Location"] == reverse("portal:apply")


def test_an_unconfirmed_account_logging_in_keeps_the_batch_through_confirmation(
    client: Client, intake: Intake
) -> None:
    batch = intake.batches.get()
    client.post(
        reverse("portal:signup"),
        {"contact": "rizky@example.id", "password": "kopi-susu-7", "password2": "kopi-susu-7"},
    )
    code = _code()
    other = Client()  # another day, another browser
    start = f"{reverse('portal:apply')}?paket={batch.code}"
    response = other.post(
        reverse("login"),
        {"username": "rizky@example.id", "password": "kopi-susu-7", "next": start},
    )
    assert response["Location"] == reverse("portal:confirm")
    response = other.post(reverse("portal:confirm"), {"code": code})
    assert response["Location"] == start
    assert _choice_1(other, start) == batch.pk


def test_schooling_has_no_default_and_must_be_chosen(client: Client, intake: Intake) -> None:
    _signed_up(client)
    page = client.get(reverse("portal:apply"))
    field = page.context["form"]["schooling"]
    assert field.value() in (None, "")
    html = str(field)
    assert re.search(r'<option value="" selected>', html), html
    data = _form(intake)
    del data["schooling"]
    response = client.post(reverse("portal:apply"), data)
    assert response.status_code == 200
    assert "schooling" in response.context["form"].errors
    assert not Application.objects.exists()
    assert client.post(reverse("portal:apply"), _form(intake)).status_code == 302
    assert Application.objects.get().applicant.schooling == 30


def test_correct_logins_from_one_office_never_lock_anyone_out(client: Client, staff: User) -> None:
    """Staff share one connection: many good logins from it are no attack."""
    cache.clear()
    staff.set_password("kopi-susu-7")
    staff.save()
    for _ in range(40):
        office = Client()
        response = office.post(reverse("login"), {"username": "staf", "password": "kopi-susu-7"})
        assert response.status_code == 302
    # A few typos in between do not add up to a lock-out either: a success starts the
    # account's count again.
    for _ in range(3):
        for _ in range(9):
            client.post(reverse("login"), {"username": "staf", "password": "salah"})
        response = client.post(reverse("login"), {"username": "staf", "password": "kopi-susu-7"})
        assert response.status_code == 302
        client.logout()


def test_after_ten_failures_even_the_right_password_waits(client: Client, staff: User) -> None:
    cache.clear()
    staff.set_password("kopi-susu-7")
    staff.save()
    for _ in range(10):
        client.post(reverse("login"), {"username": "STAF", "password": "salah"})
    response = client.post(reverse("login"), {"username": "staf", "password": "kopi-susu-7"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Terlalu banyak" in response.content.decode()
    assert 'value="staf"' in response.content.decode()  # what was typed is kept
