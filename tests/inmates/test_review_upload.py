"""A damaged or cut-off workbook is refused with a reason, never a 500 (review of issue 8)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import PrisonBatchFactory
from tests.inmates.test_upload import good, sheet
from vokasi.core.models import User
from vokasi.inmates.models import Nomination

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _damaged_sheet_xml() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(sheet([good(n) for n in range(1, 4)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the XML stops mid-row
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        _damaged_sheet_xml(),
        sheet([good(n) for n in range(1, 4)])[:-200],  # the download was cut off
        b"PK\x03\x04" + b"\0" * 100,
        b"%PDF-1.7 not a workbook",
    ],
    ids=["damaged-xml", "cut-off", "zip-header-only", "pdf"],
)
def test_an_unreadable_workbook_is_refused_with_a_reason(
    client: Client, partner_officer: User, content: bytes
) -> None:
    batch: Any = PrisonBatchFactory()
    client.force_login(partner_officer)
    response = client.post(
        reverse("backoffice:inmate_upload", args=[batch.pk]),
        {"file": SimpleUploadedFile("usulan.xlsx", content, content_type=XLSX)},
    )
    assert response.status_code == 200
    assert "Excel" in response.content.decode()
    assert not Nomination.objects.exists()
