"""Uploads kept while a form comes back with errors.

A browser forgets the chosen file whenever a page is shown again, so an applicant who
mistyped the NIK would have to pick the KTP photo a second time. Instead, a file that
passed its own checks is kept in private storage under a random token that the form
carries in a hidden field; the next submission uses it unless a new file is chosen.
Tokens are long and random, and a kept file is only ever read back into the form that
holds its token. `pending_sweep` removes kept files older than a day.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone

from vokasi.intake.documents import sniff

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,40}\.(pdf|jpg|png)$")
_FOLDER = "pending"


def keep(upload: UploadedFile[bytes]) -> str:
    """Checks and stores `upload`; returns its token. Raises DocumentRejected."""
    _content_type, extension, _digest = sniff(upload)
    token = f"{secrets.token_urlsafe(18)}.{extension}"
    storages["private"].save(f"{_FOLDER}/{token}", upload)
    return token


def claim(token: str) -> UploadedFile[bytes] | None:
    """The kept file for `token`, or None if the token is malformed or the file is gone."""
    if not _TOKEN.match(token):
        return None
    storage = storages["private"]
    path = f"{_FOLDER}/{token}"
    if not storage.exists(path):
        return None
    with storage.open(path, "rb") as handle:
        data = handle.read()
    return SimpleUploadedFile(token, data)


def pending_sweep(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    storage = storages["private"]
    try:
        _dirs, files = storage.listdir(_FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in files:
        path = f"{_FOLDER}/{name}"
        if storage.get_modified_time(path) < cutoff:
            storage.delete(path)
            removed += 1
    return removed
