from django.contrib import admin

from vokasi.certificates.models import (
    CertificateSettings,
    CertificationBody,
    CertificationScheme,
)


@admin.register(CertificateSettings)
class CertificateSettingsAdmin(admin.ModelAdmin[CertificateSettings]):
    list_display = ["centre", "number_pattern", "signatory_name", "key_id"]


@admin.register(CertificationBody)
class CertificationBodyAdmin(admin.ModelAdmin[CertificationBody]):
    list_display = ["name", "kind", "licence_number"]


@admin.register(CertificationScheme)
class CertificationSchemeAdmin(admin.ModelAdmin[CertificationScheme]):
    list_display = ["name", "body", "validity_years"]
    filter_horizontal = ["units"]
