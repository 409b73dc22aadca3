"""A prison is recorded with its regency / city: its inmates' districts come from it."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.forms import modelform_factory

from tests.factories import region
from vokasi.catalog.models import Partner

pytestmark = pytest.mark.django_db


def test_a_prison_needs_its_region_an_industry_partner_does_not() -> None:
    with pytest.raises(ValidationError) as error:
        Partner(name="Lapas Kelas IIA Bontang", kind=Partner.Kind.PRISON).full_clean()
    assert "region" in error.value.message_dict
    Partner(name="Lapas Kelas IIA Bontang", kind="prison", region=region("6474")).full_clean()
    Partner(name="PT Pupuk Kaltim", kind=Partner.Kind.INDUSTRY).full_clean()


def test_the_admin_form_says_so_next_to_the_field() -> None:
    admin_class = type(site._registry[Partner])
    form_class = modelform_factory(
        Partner, form=admin_class.form, fields=["name", "kind", "region"]
    )
    form = form_class({"name": "Rutan Samarinda", "kind": "prison"})
    assert not form.is_valid()
    assert "region" in form.errors
