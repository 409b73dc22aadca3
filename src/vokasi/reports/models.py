"""The reports' summary table: counts of people, pre-aggregated by every filter dimension.

The dashboard never counts participants or applications row by row: at a million
participants that takes seconds. `vokasi.reports.refresh.refresh` rebuilds this table
from the domain tables (manage.py reports_refresh, the task `refresh_task`, the end of the
demo load), and the pages sum its rows. It only ever holds numbers: no names, no NIKs,
so inmates are in it as counts like everyone else and nowhere else.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The measures, in funnel order, then the ones rates need. Every one is a count of people
# (an application is one person in one intake).
FUNNEL = ("applicants", "eligible", "admitted", "started", "graduated", "certified", "placed")
MEASURES = (
    *FUNNEL,
    "unmet",  # eligible, never offered a seat, in an intake whose selection is published
    "finished",  # participants whose training is over: graduated, not graduated or dropped
    "outcome_known",  # graduates with at least one placement record
    "surveyed",  # graduates with a tracer survey due
    "answered",  # ... who answered one
)


# The columns a cell is keyed by: one per filter of the dashboard, plus the prison flag.
CELL_KEY = (
    "year",
    "intake_id",
    "programme_id",
    "funding_id",
    "regency",
    "sex",
    "age_band",
    "disability",
    "inmate",
)


class AgeBand(models.IntegerChoices):
    """Age in the year training starts (the year of the first choice's batch)."""

    UNDER_20 = 1, _("under 20")
    FROM_20 = 2, _("20–24")
    FROM_25 = 3, _("25–29")
    FROM_30 = 4, _("30–34")
    FROM_35 = 5, _("35 and over")

    @classmethod
    def of(cls, age: int) -> AgeBand:
        if age < 20:
            return cls.UNDER_20
        if age >= 35:
            return cls.FROM_35
        return cls(2 + (age - 20) // 5)


class FunnelCell(models.Model):
    """The counts for one combination of the filter dimensions.

    Ids are plain integers, not foreign keys: the table is rebuilt whole and must never
    hold up a change elsewhere. `intake_id` 0 means "no intake" (a nominated batch).
    """

    year = models.PositiveSmallIntegerField()
    intake_id = models.PositiveIntegerField()
    programme_id = models.PositiveIntegerField()
    funding_id = models.PositiveIntegerField()
    regency = models.CharField(max_length=4)  # Kemendagri code of the domicile's regency/city
    sex = models.CharField(max_length=1)
    age_band = models.PositiveSmallIntegerField(choices=AgeBand.choices)
    disability = models.BooleanField()
    inmate = models.BooleanField()  # the batch is held inside a prison

    applicants = models.PositiveIntegerField(default=0)
    eligible = models.PositiveIntegerField(default=0)
    admitted = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)
    graduated = models.PositiveIntegerField(default=0)
    certified = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    unmet = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    outcome_known = models.PositiveIntegerField(default=0)
    surveyed = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=list(CELL_KEY), name="funnel_cell_unique"),
            models.CheckConstraint(
                condition=Q(eligible__lte=models.F("applicants")), name="funnel_eligible_le"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.programme_id} {self.regency}"


class Snapshot(models.Model):
    """When the summary was last rebuilt and what it held; one row (id 1)."""

    refreshed_at = models.DateTimeField()
    seconds = models.FloatField()
    cells = models.PositiveIntegerField()
    # Intakes whose selection was published at the time: their unmet demand is final.
    decided_intakes: models.JSONField[list[int]] = models.JSONField(default=list)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="report_snapshot_singleton")]

    def __str__(self) -> str:
        return str(self.refreshed_at)
