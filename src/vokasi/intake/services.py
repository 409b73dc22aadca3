"""Writes of registration: submitting, editing, withdrawing, documents, verification.

Each state change is one function; each checks the state it starts from, writes an audit
entry, and queues the applicant's notification after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vokasi.catalog.models import Batch, BatchState, Intake, Programme
from vokasi.core.audit import audit_log
from vokasi.core.masking import mask_nik
from vokasi.core.models import User
from vokasi.intake.documents import DocumentRejected, sniff
from vokasi.intake.eligibility import Person, reasons_not_eligible
from vokasi.intake.models import Applicant, Application, ApplicationStatus, Choice, Document
from vokasi.notifications.services import InvalidRecipient, message_enqueue
from vokasi.regions.models import Region
from vokasi.regions.nik import NikError, check_nik_against, parse_nik

__all__ = [
    "ApplicantData",
    "ApplicationError",
    "DocumentRejected",
    "DuplicateApplication",
    "application_request_fix",
    "application_submit",
    "application_update",
    "application_verify",
    "application_withdraw",
    "document_upload",
]


logger = logging.getLogger(__name__)

# Where an applicant follows their application (the portal's status page).
STATUS_PATH = "/pendaftaran/status/"


@dataclass(frozen=True)
class ApplicantData:
    nik: str
    full_name: str
    birth_place: str
    birth_date: dt.date
    sex: str
    domicile: Region
    schooling: int
    kk: str = ""
    address: str = ""
    employment: str = "unemployed"
    disability: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class ApplicationError(Exception):
    """Input that cannot become an application; `errors` maps form fields to messages."""

    errors: dict[str, list[str]] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(m for messages in self.errors.values() for m in messages)


class DuplicateApplication(ApplicationError):
    def __init__(self, existing: Application) -> None:
        super().__init__(
            {
                "nik": [
                    _(
                        "This NIK already has application %(number)s in this intake. Edit that "
                        "application instead of sending a new one."
                    )
                    % {"number": existing.number}
                ]
            }
        )
        self.existing = existing


def _check_person(data: ApplicantData, *, today: dt.date) -> None:
    try:
        info = parse_nik(data.nik, today=today)
    except NikError as error:
        raise ApplicationError({"nik": [error.message]}) from None
    mismatches = check_nik_against(info, birth_date=data.birth_date, sex=data.sex)
    if mismatches:
        errors: dict[str, list[str]] = {}
        for mismatch in mismatches:
            errors.setdefault(mismatch.field, []).append(mismatch.error.message)
        raise ApplicationError(errors)


def _check_choices(
    data: ApplicantData,
    intake: Intake,
    batches: Sequence[Batch],
    *,
    applicant_id: int | None,
    today: dt.date,
) -> list[tuple[Batch, list[str]]]:
    if not batches:
        raise ApplicationError({"choices": [_("Choose at least one batch.")]})
    if len(batches) > intake.max_choices:
        raise ApplicationError(
            {
                "choices": [
                    ngettext(
                        "Choose at most %(n)d batch.",
                        "Choose at most %(n)d batches.",
                        intake.max_choices,
                    )
                    % {"n": intake.max_choices}
                ]
            }
        )
    if len({b.pk for b in batches}) != len(batches):
        raise ApplicationError({"choices": [_("Each batch can be chosen only once.")]})
    person = Person(data.birth_date, data.schooling, data.domicile.code, applicant_id)
    # The allowed regions, in one query, only for the programmes that limit domicile.
    prefetch_related_objects(
        [b.programme for b in batches if b.programme.domicile_rule != Programme.Domicile.ANYWHERE],
        "domicile_regions",
    )
    verdicts = []
    for batch in batches:
        if batch.intake_id != intake.pk or not _open_today(batch, today):
            raise ApplicationError(
                {"choices": [_("%(batch)s is not open for registration.") % {"batch": batch.name}]}
            )
        verdicts.append((batch, reasons_not_eligible(person, batch)))
    refused = [f"{batch.name}: {' '.join(reasons)}" for batch, reasons in verdicts if reasons]
    if refused:
        raise ApplicationError({"choices": refused})
    return verdicts


def _open_today(batch: Batch, today: dt.date) -> bool:
    return (
        batch.state == BatchState.OPEN
        and batch.registration_opens is not None
        and batch.registration_closes is not None
        and batch.registration_opens <= today <= batch.registration_closes
    )


def _check_owner(applicant: Applicant | None, nik: str, user: User) -> None:
    """An online account holds one person, and never takes over someone else's record."""
    own = Applicant.objects.filter(user=user).exclude(nik=nik).values_list("nik", flat=True).first()
    if own is not None:
        raise ApplicationError(
            {
                "nik": [
                    _(
                        "Your account belongs to the person with NIK %(nik)s; one account holds one "
                        "person. Ask the centre if your NIK has changed."
                    )
                    % {"nik": mask_nik(own)}
                ]
            }
        )
    if applicant is None or applicant.user_id == user.pk:
        return
    if applicant.user_id is None:
        # Registered at the counter before: only staff may link that record to an account,
        # since anyone can read a birth date and sex off a NIK.
        message = _(
            "This NIK was registered at the centre's counter. Ask the staff to link it to your "
            "account, or register there again."
        )
    else:
        message = _("This NIK is registered to another account. Contact the centre if it is yours.")
    raise ApplicationError({"nik": [message]})


def _save_applicant(
    data: ApplicantData,
    *,
    user: User | None,
    entered_by: User | None,
    locked: Applicant | None = None,
    looked_up: bool = False,
) -> Applicant:
    """Creates or updates the person. With `looked_up`, the caller already locked the row
    for this NIK and passes it as `locked` (None: there is none yet)."""
    values = {
        "kk": data.kk,
        "full_name": data.full_name.strip(),
        "birth_place": data.birth_place.strip(),
        "birth_date": data.birth_date,
        "sex": data.sex,
        "address": data.address.strip(),
        "domicile": data.domicile,
        "schooling": data.schooling,
        "employment": data.employment,
        "disability": data.disability.strip(),
        "phone": data.phone.strip(),
        "email": data.email.strip(),
    }
    applicant = (
        locked if looked_up else Applicant.objects.select_for_update().filter(nik=data.nik).first()
    )
    if user is not None:
        _check_owner(applicant, data.nik, user)
    if applicant is None:
        try:
            with transaction.atomic():
                return Applicant.objects.create(
                    nik=data.nik, user=user, entered_by=entered_by, **values
                )
        except IntegrityError:
            # Two tabs sending the same NIK at once: the other one created the person.
            applicant = Applicant.objects.select_for_update().filter(nik=data.nik).first()
            if applicant is None:
                raise ApplicationError(
                    {"__all__": [_("The application was changed meanwhile; reload the page.")]}
                ) from None
            if user is not None:
                _check_owner(applicant, data.nik, user)
    for name, value in values.items():
        setattr(applicant, name, value)
    if user is not None:
        applicant.user = user
    applicant.save()
    return applicant


def application_submit(
    *,
    data: ApplicantData,
    intake: Intake,
    batches: Sequence[Batch],
    user: User | None,
    entered_by: User | None = None,
    documents: Mapping[str, UploadedFile[bytes]] | None = None,
    today: dt.date | None = None,
) -> Application:
    """Registers `data` for `batches` (in order of preference) in `intake`, with its
    `documents` (kind -> upload), all in one transaction.

    `user` is the applicant's own account (online) and `entered_by` the member of staff
    at the counter (walk-in). Raises ApplicationError with per-field messages (a refused
    document under its kind), or DuplicateApplication when this NIK already applied in
    this intake.
    """
    today = today or timezone.localdate()
    _check_person(data, today=today)
    # Every file is judged before anything is written, so a refused one leaves nothing.
    checked = _check_documents(documents or {})
    stored: list[Document] = []
    try:
        return _register(data, intake, batches, user, entered_by, checked, today, stored)
    except BaseException:
        # The rows went with the transaction; so must the files they pointed at. (Called
        # inside a caller's transaction that later rolls back, a file would stay behind.)
        for document in stored:
            if document.file.name:
                document.file.storage.delete(document.file.name)
        raise


def _register(
    data: ApplicantData,
    intake: Intake,
    batches: Sequence[Batch],
    user: User | None,
    entered_by: User | None,
    checked: dict[str, tuple[UploadedFile[bytes], str, str, str]],
    today: dt.date,
    stored: list[Document],
) -> Application:
    """application_submit's transaction; each document it stores is added to `stored`."""
    with transaction.atomic():
        # One lookup serves both the running-batch rule and the write that follows.
        locked = Applicant.objects.select_for_update().filter(nik=data.nik).first()
        _check_choices(
            data, intake, batches, applicant_id=locked.pk if locked else None, today=today
        )
        applicant = _save_applicant(
            data, user=user, entered_by=entered_by, locked=locked, looked_up=True
        )
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    applicant=applicant,
                    intake=intake,
                    consent_at=timezone.now(),
                    entered_by=entered_by,
                )
        except IntegrityError:
            raise DuplicateApplication(
                Application.objects.get(applicant=applicant, intake=intake)
            ) from None
        application.number = f"{intake.code}-{application.pk:06d}"
        application.save(update_fields=["number"])
        Choice.objects.bulk_create(
            Choice(application=application, batch=batch, rank=rank)
            for rank, batch in enumerate(batches, 1)
        )
        actor = entered_by or user
        audit_log(actor=actor, action="application.submit", obj=application)
        # A new application has no earlier document to replace and nobody else can hold
        # it yet: no lock and no lookup, unlike document_upload.
        for kind, (upload, content_type, extension, digest) in checked.items():
            upload.name = f"{application.pk}-{kind}.{extension}"
            stored.append(_document_record(application, kind, upload, content_type, digest, actor))
        application_notify(application, "application_submitted")
    return application


def _check_documents(
    documents: Mapping[str, UploadedFile[bytes]],
) -> dict[str, tuple[UploadedFile[bytes], str, str, str]]:
    """kind -> (upload, content type, extension, sha256); refusals under their kind."""
    checked, errors = {}, {}
    for kind, upload in documents.items():
        if kind not in Document.Kind.values:
            raise ValueError(f"unknown kind of document {kind!r}")
        try:
            checked[kind] = (upload, *sniff(upload))
        except DocumentRejected as error:
            errors[kind] = [str(error)]
    if errors:
        raise ApplicationError(errors)
    return checked


def application_update(
    *,
    application: Application,
    data: ApplicantData,
    batches: Sequence[Batch],
    actor: User,
    today: dt.date | None = None,
) -> Application:
    """The applicant (or staff) edits an application while registration is open."""
    today = today or timezone.localdate()
    if data.nik != application.applicant.nik:
        raise ApplicationError({"nik": [_("The NIK of an application cannot be changed.")]})
    _check_person(data, today=today)
    _check_choices(
        data, application.intake, batches, applicant_id=application.applicant_id, today=today
    )
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.INELIGIBLE):
            raise ApplicationError({"__all__": [_("This application can no longer be changed.")]})
        _save_applicant(data, user=application.applicant.user, entered_by=None)
        locked.choices.all().delete()
        Choice.objects.bulk_create(
            Choice(application=locked, batch=batch, rank=rank)
            for rank, batch in enumerate(batches, 1)
        )
        if locked.status in (ApplicationStatus.VERIFIED, ApplicationStatus.ELIGIBLE):
            # What staff checked has changed: it goes back to the verification queue.
            _move(locked, sources=[locked.status], target=ApplicationStatus.SUBMITTED)
        audit_log(actor=actor, action="application.update", obj=locked)
    application.refresh_from_db()
    return application


def _move(
    application: Application, *, sources: Sequence[str], target: str, reason: str = ""
) -> None:
    """Compare-and-set: moves only if the application is still in one of `sources`."""
    changed = Application.objects.filter(pk=application.pk, status__in=sources).update(
        status=target, status_reason=reason, updated_at=timezone.now()
    )
    if changed != 1:
        raise ApplicationError(
            {"__all__": [_("The application was changed meanwhile; reload the page.")]}
        )
    application.status, application.status_reason = target, reason


def application_withdraw(*, application: Application, actor: User) -> Application:
    with transaction.atomic():
        _move(
            application,
            sources=[s for s in ApplicationStatus.values if s != ApplicationStatus.WITHDRAWN],
            target=ApplicationStatus.WITHDRAWN,
        )
        audit_log(actor=actor, action="application.withdraw", obj=application)
    return application


def application_request_fix(*, application: Application, reason: str, actor: User) -> Application:
    """Staff ask the applicant to upload a document again; the applicant is told why."""
    if not reason.strip():
        raise ApplicationError({"reason": [_("Say what must be fixed.")]})
    with transaction.atomic():
        _move(
            application,
            sources=[ApplicationStatus.SUBMITTED, ApplicationStatus.VERIFIED],
            target=ApplicationStatus.DOCUMENTS_TO_FIX,
            reason=reason.strip(),
        )
        audit_log(
            actor=actor, action="application.request_fix", obj=application, reason=reason.strip()
        )
        # Each request for a fix is its own message; the audit entry's id tells them apart.
        entry = audit_log(actor=actor, action="application.fix_notice", obj=application)
        application_notify(
            application,
            "application_documents_to_fix",
            reason=application.status_reason,
            key_suffix=str(entry.pk),
        )
    return application


def application_verify(*, application: Application, actor: User) -> Application:
    """Staff confirm the documents match; the choices' eligibility is recorded.

    Without a KTP there is nothing to compare the typed data with: staff ask for a fix
    (the applicant uploads it) before verifying.
    """
    if not Document.objects.filter(application=application, kind=Document.Kind.KTP).exists():
        raise ApplicationError(
            {
                "__all__": [
                    _(
                        "No KTP has been uploaded, so there is nothing to check the data "
                        "against. Ask the applicant for a fix (upload the KTP) first."
                    )
                ]
            }
        )
    with transaction.atomic():
        _move(
            application,
            sources=[ApplicationStatus.SUBMITTED, ApplicationStatus.DOCUMENTS_TO_FIX],
            target=ApplicationStatus.VERIFIED,
        )
        applicant = application.applicant
        person = Person(
            applicant.birth_date, applicant.schooling, str(applicant.domicile_id), applicant.pk
        )
        eligible_any = False
        for choice in application.choices.select_related("batch__programme"):
            reasons = reasons_not_eligible(person, choice.batch)
            choice.eligible, choice.ineligible_reason = not reasons, " ".join(reasons)[:250]
            choice.save(update_fields=["eligible", "ineligible_reason"])
            eligible_any |= not reasons
        target = ApplicationStatus.ELIGIBLE if eligible_any else ApplicationStatus.INELIGIBLE
        _move(application, sources=[ApplicationStatus.VERIFIED], target=target)
        audit_log(actor=actor, action="application.verify", obj=application, result=target)
        application_notify(application, "application_verified")
    return application


# Documents can change while staff have not yet judged them; after that only through a fix request.
_UPLOAD_STATES = (ApplicationStatus.SUBMITTED, ApplicationStatus.DOCUMENTS_TO_FIX)


def document_upload(
    *, application: Application, kind: str, upload: UploadedFile[bytes], actor: User | None
) -> Document:
    """Stores (or replaces) the applicant's KTP or diploma after checking what it really is.

    A re-upload after "documents to fix" puts the application back in the queue. The file
    it replaces is removed only once the change is committed, so a failed request never
    leaves a record pointing at a deleted file.
    """
    if kind not in Document.Kind.values:
        raise DocumentRejected(_("Unknown kind of document."))
    content_type, extension, digest = sniff(upload)
    upload.name = f"{application.pk}-{kind}.{extension}"
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in _UPLOAD_STATES:
            raise DocumentRejected(
                _("Documents can be changed only before verification or when a fix is asked for.")
            )
        old = Document.objects.filter(application=application, kind=kind).first()
        if old is not None:
            old_file = str(old.file.name)
            storage = old.file.storage
            old.delete()
            transaction.on_commit(lambda: storage.delete(old_file))
        document = _document_record(application, kind, upload, content_type, digest, actor)
        if locked.status == ApplicationStatus.DOCUMENTS_TO_FIX:
            _move(
                application,
                sources=[ApplicationStatus.DOCUMENTS_TO_FIX],
                target=ApplicationStatus.SUBMITTED,
            )
    return document


def _document_record(
    application: Application,
    kind: str,
    upload: UploadedFile[bytes],
    content_type: str,
    digest: str,
    actor: User | None,
) -> Document:
    document = Document.objects.create(
        application=application,
        kind=kind,
        file=upload,
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest,
    )
    audit_log(actor=actor, action="document.upload", obj=application, kind=kind, sha256=digest)
    return document


def document_record_as_found(
    *, application: Application, kind: str, upload: UploadedFile[bytes]
) -> Document:
    """Records a document as it already stands on file, changing nothing about the
    application (demo data loaded as if uploaded earlier). `document_upload` is the way an
    applicant's or staff's upload comes in."""
    content_type, extension, digest = sniff(upload)
    upload.name = f"{application.pk}-{kind}.{extension}"
    return _document_record(application, kind, upload, content_type, digest, None)


def application_notify(
    application: Application, template: str, *, key_suffix: str = "", **extra: str
) -> None:
    """Queues the applicant's message in the same transaction: if the change rolls back,
    so does the message; the outbox delivers it after commit."""
    applicant = application.applicant
    if applicant.email:
        channel, recipient = "email", applicant.email
    elif applicant.phone:
        channel, recipient = "whatsapp", applicant.phone
    else:
        return
    context = {
        "name": applicant.full_name,
        "number": application.number or "",
        "url": settings.SITE_URL + STATUS_PATH,
    } | extra
    key = f"application:{application.pk}:{template}" + (f":{key_suffix}" if key_suffix else "")
    try:
        _enqueue(channel, recipient, template, context, key, application)
    except InvalidRecipient:
        # The forms check addresses; an old record with a broken one must not block
        # the change itself. Staff see the applicant has no working contact.
        logger.warning(
            "application %s: no valid %s address, message %s not queued",
            application.pk,
            channel,
            template,
        )


def _enqueue(
    channel: str,
    recipient: str,
    template: str,
    context: dict[str, str],
    key: str,
    application: Application,
) -> None:
    message_enqueue(
        channel=channel,
        recipient=recipient,
        template=template,
        context=context,
        language="id",
        idempotency_key=key,
        about=application,
    )
