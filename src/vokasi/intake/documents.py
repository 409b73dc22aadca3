"""What an uploaded document really is, judged by its first bytes, not its name.

A file called ktp.pdf that starts with "MZ" is a Windows program, and is refused.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# (magic bytes, content type, extension)
_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


class DocumentRejected(ValueError):
    """The upload cannot be accepted; the message says why, for the applicant."""


def max_upload_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_MB", 2)) * 1024 * 1024


def sniff(upload: UploadedFile[bytes]) -> tuple[str, str, str]:
    """Checks size and content; returns (content type, extension, sha256 hex)."""
    limit = max_upload_bytes()
    if upload.size is None or upload.size > limit:
        raise DocumentRejected(
            _(
                "The file is %(size)s MB; the limit is %(limit)d MB. Take a smaller photo or "
                "scan in lower quality."
            )
            # In the active language's own way: 3,0 MB in Indonesian, 3.0 MB in English.
            % {
                "size": number_format((upload.size or 0) / 1024 / 1024, decimal_pos=1),
                "limit": limit // 1024 // 1024,
            }
        )
    if upload.size == 0:
        raise DocumentRejected(_("The file is empty."))
    upload.seek(0)
    head = upload.read(16)
    found = next(((t, e) for magic, t, e in _SIGNATURES if head.startswith(magic)), None)
    if found is None:
        raise DocumentRejected(
            _("Only PDF, JPEG or PNG files are accepted; this file is none of them.")
        )
    content_type, extension = found
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, extension, digest.hexdigest()
