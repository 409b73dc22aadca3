from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from tests.factories import ApplicantFactory, BatchFactory, ParticipantFactory
from vokasi.catalog.models import Batch, BatchState, CompetencyUnit
from vokasi.training.models import Participant


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def completed_batch(graduates: int = 3, others: int = 1, code: str = "LAS-2025-9") -> Batch:
    """A completed batch with its programme's units, `graduates` who passed and `others`
    who did not."""
    batch = BatchFactory(code=code, state=BatchState.COMPLETED)
    for i, (unit, title) in enumerate(
        [
            ("C.259000.001.01", "Melaksanakan Pekerjaan Pengelasan SMAW Posisi 1G"),
            ("C.259000.002.01", "Melaksanakan Pekerjaan Pengelasan SMAW Posisi 3G"),
        ],
        start=1,
    ):
        CompetencyUnit.objects.create(
            programme=batch.programme, order=i, code=unit, title=title, hours_jp=120
        )
    for n in range(1, graduates + others + 1):
        ParticipantFactory(
            batch=batch,
            number=n,
            applicant=ApplicantFactory(full_name=f"Peserta {code} {n}"),
            status=Participant.Status.GRADUATED if n <= graduates else Participant.Status.DROPPED,
        )
    return batch


@pytest.fixture
def batch(db: None) -> Batch:
    return completed_batch()
