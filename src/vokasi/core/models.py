from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from vokasi.core.roles import ROLE_PERMS, Perm, Role


class AccountManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        """`manage.py createsuperuser` makes the centre's first administrator: the role too,
        so the menus and pages treat them as one."""
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """An account: a member of staff, a partner's officer, a government viewer or an applicant."""

    objects: ClassVar[AccountManager] = AccountManager()

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    # Civil servants sign letters and certificates with their NIP (18 digits).
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    phone = models.CharField(_("phone / WhatsApp"), max_length=20, blank=True)
    # An applicant's account works once its email or WhatsApp number is confirmed by a code.
    confirmed_at = models.DateTimeField(_("contact confirmed at"), null=True, blank=True)
    # A partner officer (e.g. at Lapas Bontang) sees only their own institution's people.
    partner = models.ForeignKey(
        "catalog.Partner",
        verbose_name=_("partner institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="user_role_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.PARTNER) | models.Q(partner__isnull=False),
                name="user_partner_officer_has_partner",
                violation_error_message=_(
                    "A partner officer must belong to a partner institution."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def can(self, perm: Perm) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return perm in ROLE_PERMS.get(self.role, frozenset())


class AuditEntry(models.Model):
    """One line of the audit trail: who did what to which record, when, and why.

    Written by services in the same transaction as the change they record, so a change
    without its entry (or the reverse) cannot be committed.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    data: models.JSONField[dict[str, Any]] = models.JSONField(
        _("details"), default=dict, blank=True
    )

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
