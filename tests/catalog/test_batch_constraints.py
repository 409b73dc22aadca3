"""The database refuses impossible batches, whatever path the row takes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import BatchFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields",
    [
        {"quota": 8, "min_participants": 10},
        {"min_participants": 0},
        {"training_starts": dt.date(2025, 7, 1), "training_ends": dt.date(2025, 6, 1)},
        {"registration_opens": dt.date(2025, 6, 1), "registration_closes": dt.date(2025, 5, 1)},
        {"registration_closes": dt.date(2025, 6, 20)},  # after training starts on 16 June
        {"registration_opens": None},  # one registration date without the other
    ],
)
def test_database_refuses(fields: dict[str, object]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchFactory(**fields)


def test_model_validation_names_the_problem_in_words() -> None:
    batch = BatchFactory.build(programme=ProgrammeFactory(), quota=8, min_participants=10)
    with pytest.raises(ValidationError) as error:
        batch.full_clean(exclude=["funding"])
    assert "The quota must be at least the minimum to run" in str(error.value)


def test_programme_age_range_must_be_ordered() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeFactory(min_age=40, max_age=18)
