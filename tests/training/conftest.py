"""A running batch with units, staff and a roster, as most training tests need it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.utils import translation

from tests.factories import ApplicantFactory, BatchFactory, ParticipantFactory, UserFactory
from vokasi.catalog.models import Batch, BatchState, CompetencyUnit
from vokasi.core.models import User
from vokasi.core.roles import Role
from vokasi.training.models import BatchStaff, Participant, Session, StaffRole

START = dt.date(2025, 6, 16)  # a Monday


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Service messages are checked in the source language."""
    with translation.override("en"):
        yield


@dataclass
class World:
    batch: Batch
    units: list[CompetencyUnit]
    people: list[Participant]
    instructor: User
    assessor: User


@pytest.fixture
def world(db: None, instructor: User, assessor: User) -> World:
    return make_world(instructor, assessor)


def make_world(instructor: User, assessor: User) -> World:
    batch = BatchFactory(
        state=BatchState.RUNNING, training_starts=START, training_ends=START + dt.timedelta(days=11)
    )
    units = [
        CompetencyUnit.objects.create(
            programme=batch.programme,
            order=i,
            code=f"C.29LAS00.00{i}.1",
            title=f"Unit {i}",
            hours_jp=8,
        )
        for i in (1, 2)
    ]
    BatchStaff.objects.create(batch=batch, user=instructor, role=StaffRole.INSTRUCTOR)
    BatchStaff.objects.create(batch=batch, user=assessor, role=StaffRole.ASSESSOR)
    people = [
        ParticipantFactory(
            batch=batch,
            number=n,
            applicant=ApplicantFactory(
                nik=f"64740112039800{n:02d}", email=f"p{n}@example.id", full_name=f"Peserta {n}"
            ),
        )
        for n in (1, 2, 3)
    ]
    return World(batch, units, people, instructor, assessor)


def add_session(world: World, day: int, *, jp: int = 4, unit: int = 0) -> Session:
    return Session.objects.create(
        batch=world.batch,
        date=START + dt.timedelta(days=day),
        starts=dt.time(8),
        ends=dt.time(11),
        jp=jp,
        unit=world.units[unit],
        instructor=world.instructor,
    )


def other_user(role: str) -> User:
    user: User = UserFactory(role=role)
    return user


__all__ = ["Role", "World", "add_session", "other_user"]
