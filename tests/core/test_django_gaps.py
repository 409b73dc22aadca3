"""Django's own strings that its Indonesian catalogue lacks come out in Indonesian too."""

from __future__ import annotations

from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import translation


def test_the_blank_choice_of_a_select_is_indonesian() -> None:
    with translation.override("id"):
        assert str(BLANK_CHOICE_LABEL) == "- Pilih -"
