from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "vokasi.certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from vokasi.certificates import checks  # noqa: F401 - registers the check
