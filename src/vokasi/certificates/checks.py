"""`manage.py check` finds a broken or missing signing key before a ceremony does."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Info, register

from vokasi.certificates import signing


@register()
def signing_key_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.CERTIFICATE_SIGNING_KEY:
        try:
            signing.parse_private_key(settings.CERTIFICATE_SIGNING_KEY)
        except signing.SigningKeyMissing as error:
            return [Error(str(error), id="certificates.E001")]
        return []
    if settings.DEBUG or settings.TESTING:
        return []
    # Information, not a warning: a centre may run vokasi before it issues certificates,
    # and issuing without a key is refused with this same message.
    return [
        Info(
            "CERTIFICATE_SIGNING_KEY is not set: training certificates cannot be issued.",
            hint="Run `manage.py certificates_key` and put the printed line into the environment.",
            id="certificates.I001",
        )
    ]
