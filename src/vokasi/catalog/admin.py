from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from vokasi.catalog.models import (
    Batch,
    CompetencyUnit,
    FundingSource,
    Partner,
    Programme,
    TrainingCentre,
)
from vokasi.catalog.services import centre_saved


class CompetencyUnitInline(admin.TabularInline[CompetencyUnit, Programme]):
    model = CompetencyUnit
    extra = 0


@admin.register(TrainingCentre)
class TrainingCentreAdmin(admin.ModelAdmin[TrainingCentre]):
    list_display = ["name", "short_code", "kind", "timezone", "jp_minutes"]
    raw_id_fields = ["region"]

    def save_model(
        self, request: HttpRequest, obj: TrainingCentre, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        # Each process remembers the zone for a minute; this one forgets it now.
        transaction.on_commit(lambda: centre_saved(obj))


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ["code", "name", "field", "hours_jp", "active"]
    list_filter = ["active", "field"]
    inlines = [CompetencyUnitInline]
    raw_id_fields = ["domicile_regions"]


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin[FundingSource]):
    list_display = ["name", "kind", "fiscal_year", "amount"]
    raw_id_fields = ["region"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin[Partner]):
    list_display = ["name", "kind", "active"]
    list_filter = ["kind"]
    raw_id_fields = ["region"]


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin[Batch]):
    """State is read-only here: transitions go through batch_transition, which audits them."""

    list_display = ["code", "name", "state", "training_starts", "quota"]
    list_filter = ["state", "programme"]
    readonly_fields = ["state", "state_reason"]
    raw_id_fields = ["venue_partner"]
