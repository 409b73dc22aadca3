"""Reads of the inmate programme, scoped to who is asking.

A partner officer sees the batches held at their own prison and the people their prison
nominated, nothing else; staff with `Perm.INMATES_VIEW` see every prison's. Anyone else
sees nothing. Views turn "nothing" into a 404, so another prison's batch is not even
confirmed to exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from vokasi.catalog.models import Batch, Partner
from vokasi.core.masking import mask_nik
from vokasi.core.models import User
from vokasi.core.roles import Perm, Role
from vokasi.inmates.models import Inmate, Nomination, NominationState
from vokasi.regions.models import Region


def may_see_inmate_fields(viewer: User, *, prison_id: int | None) -> bool:
    """The inmate number and release date: the officer of that prison, or staff allowed."""
    if viewer.can(Perm.INMATES_VIEW):
        return True
    return (
        viewer.role == Role.PARTNER
        and viewer.partner_id is not None
        and viewer.partner_id == prison_id
    )


def prison_batches(*, viewer: User) -> QuerySet[Batch]:
    """Batches held inside a prison that `viewer` may work with, with nomination counts."""
    batches = Batch.objects.filter(venue_partner__kind=Partner.Kind.PRISON)
    if viewer.can(Perm.INMATES_VIEW):
        pass
    elif viewer.role == Role.PARTNER and viewer.partner_id is not None:
        batches = batches.filter(venue_partner_id=viewer.partner_id)
    else:
        return Batch.objects.none()
    return (
        batches.select_related("programme", "venue_partner")
        .annotate(
            n_nominated=Count("nominations", distinct=True),
            n_waiting=Count(
                "nominations",
                filter=Q(nominations__state=NominationState.NOMINATED),
                distinct=True,
            ),
            n_enrolled=Count(
                "nominations",
                filter=Q(nominations__state=NominationState.ENROLLED),
                distinct=True,
            ),
        )
        .order_by("-training_starts", "code")
    )


def prison_batch(*, viewer: User, pk: int) -> Batch | None:
    return prison_batches(viewer=viewer).filter(pk=pk).first()


@dataclass(frozen=True, slots=True)
class NominationRow:
    nomination: Nomination
    name: str
    nik: str
    sex: str
    birth_date: dt.date
    number: str
    expected_release: dt.date | None


def nomination_rows(*, batch: Batch, viewer: User, whole_nik: bool = False) -> list[NominationRow]:
    """The nominations of a batch the caller got from `prison_batch` (already scoped).

    NIKs are masked: a list has no need of them whole. The Excel export asks for them whole
    when the viewer may see personal data, and the export is audited.
    """
    whole_nik = whole_nik and viewer.can(Perm.PERSONAL_DATA_VIEW)
    rows = (
        Nomination.objects.filter(batch=batch)
        .select_related("applicant__inmate", "nominated_by")
        .order_by("applicant__full_name")
    )
    out = []
    for n in rows:
        inmate: Inmate | None = getattr(n.applicant, "inmate", None)
        show = inmate is not None and may_see_inmate_fields(viewer, prison_id=inmate.prison_id)
        out.append(
            NominationRow(
                nomination=n,
                name=n.applicant.full_name,
                nik=n.applicant.nik if whole_nik else mask_nik(n.applicant.nik),
                sex=n.applicant.get_sex_display(),
                birth_date=n.applicant.birth_date,
                number=inmate.number if show and inmate else "",
                expected_release=inmate.expected_release if show and inmate else None,
            )
        )
    return out


def districts_for(prison: Partner) -> QuerySet[Region]:
    """Districts a nominee may live in: the prison's province, or all when it has none."""
    districts = Region.objects.filter(level=Region.Level.DISTRICT).select_related("parent")
    if prison.region_id:
        districts = districts.filter(code__startswith=str(prison.region_id)[:2])
    return districts.order_by("parent__name", "name")
