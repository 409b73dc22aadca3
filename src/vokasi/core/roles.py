"""Roles and what each may do.

Each account has exactly one role: a centre's staff rarely wear two hats in the system, and
one role per account keeps "who may see this" answerable at a glance. Permissions are
named capabilities checked in code (`user.can(Perm.X)`), not rows in the database, so a
new capability is a code change that review sees, not a data fix an operator forgets.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    STAFF = "staff", _("Training staff")
    INSTRUCTOR = "instructor", _("Instructor")
    ASSESSOR = "assessor", _("Assessor")
    PARTNER = "partner", _("Partner officer")
    VIEWER = "viewer", _("Viewer (government office)")
    APPLICANT = "applicant", _("Applicant")


class Perm(StrEnum):
    BACKOFFICE = "backoffice"  # may enter the staff back office at all
    CATALOG_VIEW = "catalog.view"
    CATALOG_MANAGE = "catalog.manage"  # create and edit programmes, batches, funding
    BATCH_TRANSITION = "batch.transition"  # open, close, postpone, cancel batches
    PARTICIPANTS_VIEW = "participants.view"
    APPLICATIONS_MANAGE = "applications.manage"  # front desk, verification queue, documents
    PERSONAL_DATA_VIEW = "personal.view"  # unmasked NIK, KK, phone
    PARTNERS_VIEW = "partners.view"
    AUDIT_VIEW = "audit.view"
    USERS_MANAGE = "users.manage"
    REPORTS_VIEW = "reports.view"
    CERTIFICATES_MANAGE = "certificates.manage"  # issue, revoke; BNSP tests and results
    TRAINING_MANAGE = "training.manage"  # roster, staffing, schedule, dropouts, closing
    ATTENDANCE_RECORD = "attendance.record"  # take attendance (instructors of the batch)
    ASSESSMENT_RECORD = "assessment.record"  # record results (assessors of the batch)
    PARTNERS_MANAGE = "partners.manage"  # agreements, contacts, what partners bring
    PLACEMENT_VIEW = "placement.view"  # graduates' placement records, vacancies, tracer
    PLACEMENT_MANAGE = "placement.manage"  # record placements, vacancies, referrals
    INMATES_NOMINATE = "inmates.nominate"  # propose inmates for a batch held in their prison
    INMATES_VIEW = "inmates.view"  # inmate number and release date; inmates in exports; review


_STAFF_PERMS = {
    Perm.BACKOFFICE,
    Perm.CATALOG_VIEW,
    Perm.CATALOG_MANAGE,
    Perm.BATCH_TRANSITION,
    Perm.PARTICIPANTS_VIEW,
    Perm.APPLICATIONS_MANAGE,
    Perm.PERSONAL_DATA_VIEW,
    Perm.PARTNERS_VIEW,
    Perm.REPORTS_VIEW,
    Perm.TRAINING_MANAGE,
    Perm.ATTENDANCE_RECORD,
    Perm.ASSESSMENT_RECORD,
    Perm.CERTIFICATES_MANAGE,
    Perm.PARTNERS_MANAGE,
    Perm.PLACEMENT_VIEW,
    Perm.PLACEMENT_MANAGE,
    Perm.INMATES_NOMINATE,
    Perm.INMATES_VIEW,
}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm),
    Role.STAFF: frozenset(_STAFF_PERMS),
    # Instructors and assessors act only on the batches they serve: the training services
    # check the batch's staffing, the capability only lets them in.
    Role.INSTRUCTOR: frozenset(
        {Perm.BACKOFFICE, Perm.CATALOG_VIEW, Perm.PARTICIPANTS_VIEW, Perm.ATTENDANCE_RECORD}
    ),
    Role.ASSESSOR: frozenset(
        {Perm.BACKOFFICE, Perm.CATALOG_VIEW, Perm.PARTICIPANTS_VIEW, Perm.ASSESSMENT_RECORD}
    ),
    # A partner officer sees only their own institution's people, and nominates only for the
    # batches held there: the selectors that take the user do the scoping.
    Role.PARTNER: frozenset(
        {Perm.BACKOFFICE, Perm.CATALOG_VIEW, Perm.PARTICIPANTS_VIEW, Perm.INMATES_NOMINATE}
    ),
    Role.VIEWER: frozenset({Perm.BACKOFFICE, Perm.CATALOG_VIEW, Perm.REPORTS_VIEW}),
    Role.APPLICANT: frozenset(),
}
