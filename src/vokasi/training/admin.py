"""Read-only views for the administrator: every change goes through the services (audited,
locked after closing), never through the admin's forms."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vokasi.training.models import (
    Assessment,
    AttitudeAssessment,
    BatchStaff,
    GraduationRule,
    Participant,
    Session,
)


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Participant)
class ParticipantAdmin(ReadOnly):
    list_display = ["batch", "number", "applicant", "status", "dropped_on", "dropout_reason"]
    list_filter = ["status", "batch__programme"]
    list_select_related = ["batch", "applicant"]


@admin.register(Session)
class SessionAdmin(ReadOnly):
    list_display = [
        "batch",
        "date",
        "starts",
        "ends",
        "jp",
        "unit",
        "instructor",
        "attendance_taken_at",
    ]
    list_filter = ["batch"]
    list_select_related = ["batch", "unit", "instructor"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly):
    list_display = ["participant", "unit", "result", "assessed_on", "assessor", "created_at"]
    list_select_related = ["participant__batch", "unit", "assessor"]


@admin.register(AttitudeAssessment)
class AttitudeAdmin(ReadOnly):
    list_display = [
        "participant",
        "discipline",
        "cooperation",
        "responsibility",
        "initiative",
        "safety",
    ]


@admin.register(BatchStaff)
class BatchStaffAdmin(ReadOnly):
    list_display = ["batch", "user", "role"]


@admin.register(GraduationRule)
class GraduationRuleAdmin(ReadOnly):
    list_display = ["programme", "attendance_threshold", "all_units_competent", "absence_streak"]
