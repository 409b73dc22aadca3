"""What an upload is, and how its refusal reads in the applicant's language."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from vokasi.intake.documents import DocumentRejected, sniff

TOO_BIG = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024)


@pytest.mark.parametrize(("language", "size"), [("id", "3,0 MB"), ("en", "3.0 MB")])
def test_the_size_of_a_file_too_big_uses_the_languages_decimal_separator(
    language: str, size: str
) -> None:
    with translation.override(language), pytest.raises(DocumentRejected) as refused:
        sniff(SimpleUploadedFile("ktp.pdf", TOO_BIG))
    assert size in str(refused.value)
    assert "2 MB" in str(refused.value)
