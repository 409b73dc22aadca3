"""Without reservations the engine must agree with an independent implementation of the
hospital-resident problem: the PyPI package `matching`, resident-optimal."""

from __future__ import annotations

import warnings

from hypothesis import HealthCheck, given, settings
from matching.games import HospitalResident

from tests.allocation.instances import Doc, Rules, documents, problem_of
from vokasi.allocation import solve


def matching_package(doc: Doc) -> dict[str, str | None]:
    rules = Rules(doc)
    residents = {a: rules.choices(a) for a in rules.applicants if rules.choices(a)}
    hospitals = {
        b: sorted((a for a in residents if b in residents[a]), key=lambda a: rules.key(a, b))
        for b in rules.batches
    }
    capacities = {b: rules.batches[b]["capacity"] for b in rules.batches}
    result: dict[str, str | None] = dict.fromkeys(rules.applicants)
    if not residents:
        return result
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns about hospitals nobody ranked
        game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
        for hospital, matched in game.solve(optimal="resident").items():
            for resident in matched:
                result[resident.name] = hospital.name
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(max_applicants=12, max_batches=5, reservations=False, min_capacity=1))
def test_same_as_the_matching_package(doc: Doc) -> None:
    assert solve(problem_of(doc)).assignments() == matching_package(doc)
