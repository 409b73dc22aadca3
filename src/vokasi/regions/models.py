from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A Kemendagri region: province, regency or city, district, or village.

    `code` is the undotted Kemendagri code (64, 6474, 647401, 6474011001), so a NIK's first
    six digits are a district code as they stand.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        REGENCY = 2, _("regency / city")
        DISTRICT = 3, _("district")
        VILLAGE = 4, _("village")

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return self.name


class RegionDataset(models.Model):
    """What `load_regions` last loaded, so that a second run can tell it has nothing to do.

    One row at most (id 1). `region_count` is the size of the whole table right after the
    load: if rows went missing since (a flushed test database, a manual delete), the counts
    differ and the next run loads again.
    """

    version = models.CharField(_("data version"), max_length=100)
    villages = models.BooleanField(_("villages loaded"))
    region_count = models.PositiveIntegerField(_("regions"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("region data set")
        verbose_name_plural = _("region data sets")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="regions_dataset_singleton")
        ]

    def __str__(self) -> str:
        return self.version
