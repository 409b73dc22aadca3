"""What is wrong with an input, said so that whoever prepared it can fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeGuard

MISSING: Any = object()  # a field that is not there at all


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in an input: `where` names the batch or applicant (or its position
    when it has no usable id), `field` the field inside it."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.message}"


class ProblemError(ValueError):
    """The input is not a valid allocation problem; `issues` lists every problem."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("\n".join(map(str, issues)))


def show(value: object) -> str:
    """A short rendering of a bad value for a message."""
    if value is MISSING:
        return "nothing"
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f'"{text}"'
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def is_int(value: object) -> bool:
    return type(value) is int  # bool is an int subclass; JSON true is not a number


def id_ok(value: object) -> TypeGuard[str]:
    return type(value) is str and value != ""
