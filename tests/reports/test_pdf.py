"""The printed reports read well: headings break between words, numbers and their headings
line up on the right, a long table starts on the page it is announced on (its header row
repeated on the next), and the file says who made it."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from tests.factories import CentreFactory
from tests.reports.conftest import World
from vokasi.core.models import User
from vokasi.reports.pdf import SIZE, BarRow, column_widths, report_pdf
from vokasi.reports.tables import Table

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Word:
    text: str
    x: float  # left edge
    right: float  # right edge
    y: float
    size: float
    page: int


def words(pdf: bytes) -> list[Word]:
    """Every piece of text drawn, where it is drawn (pypdf's text visitor)."""
    out: list[Word] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            text = text.strip()
            if not text:
                return
            name = str((font or {}).get("/BaseFont", ""))  # type: ignore[attr-defined]
            face = "Helvetica-Bold" if "Bold" in name else "Helvetica"
            x, y = tm[4] + cm[4], tm[5] + cm[5]
            width = stringWidth(text, face, size)
            out.append(Word(text, x, x + width, y, size, number))  # noqa: B023

        page.extract_text(visitor_text=visit)
    return out


def cell_texts(pdf: bytes) -> set[str]:
    """The words drawn in the tables' cells (the tables' type size, nothing else)."""
    return {token for w in words(pdf) if abs(w.size - SIZE) < 0.01 for token in w.text.split()}


@pytest.mark.parametrize("language", ["en", "id"])
def test_planner_headings_break_between_words(
    world: World, client: Client, staff: User, language: str
) -> None:
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    params = {"amount": "100.000.000", f"min_{world.welding.pk}": "1"}
    response = client.get(reverse("backoffice:reports_planner_pdf"), params)
    assert response.status_code == 200
    drawn = cell_texts(response.content)
    from django.utils import translation

    from vokasi.reports.planning import read_form
    from vokasi.reports.proposal import make_plan, plan_tables

    with translation.override(language):
        form = read_form(params)
        plan, _errors = make_plan(form)
        assert plan is not None
        tables = plan_tables(form, plan)
    headings = {word for t in tables for h in t.heads for word in h.label.split()}
    assert len(headings) > 20
    # A heading broken inside a word ("Persentas" / "e") leaves the whole word undrawn.
    assert headings - drawn == set()


def test_columns_are_never_narrower_than_their_longest_heading_word() -> None:
    table = Table(
        "t",
        "T",
        ["Programme", *(f"Extraordinarily long heading {i}" for i in range(9)), "Note"],
        [["Welding", *range(9), "no history of its own: the centre's average rates are used"]],
        text_columns=(10,),
    )
    page = 261 * 72 / 25.4  # landscape A4 inside its margins: too narrow for every comfort
    widths = column_widths(table, page)
    assert sum(widths) == pytest.approx(page)
    for width in widths[1:10]:
        assert width >= stringWidth("Extraordinarily", "Helvetica-Bold", SIZE)


def _long_table(rows: int) -> Table:
    return Table(
        "long",
        "Long table",
        ["Programme", "Applicants", "Graduated", "Note"],
        [[f"Programme {i:02d}", 1000 + i, i, f"note {i}"] for i in range(rows)],
        footer=["Total", 99_999, 42, None],
        text_columns=(3,),
    )


def test_a_long_table_starts_under_the_chart_and_repeats_its_header() -> None:
    chart = [BarRow(f"Stage {i}", 100 * i) for i in range(7)]
    pdf = report_pdf(
        centre=CentreFactory(), title="Report", lines=["All"], tables=[_long_table(25)], chart=chart
    )
    drawn = words(pdf)
    first_page = {w.text for w in drawn if w.page == 1}
    # The table fits on a page of its own, yet starts on page 1 under the chart rather than
    # leaving page 1 half empty.
    assert {"Long table", "Programme 00"} <= first_page
    pages = {w.page for w in drawn if w.text.startswith("Programme ")}
    assert pages == {1, 2}
    # Its header row is printed again at the top of the next page.
    assert [w.page for w in drawn if w.text == "Applicants"] == [1, 2]


def test_numbers_and_their_headings_line_up_on_the_right() -> None:
    pdf = report_pdf(
        centre=None, title="Report", lines=["All"], tables=[_long_table(3)], chart=None
    )
    drawn = [w for w in words(pdf) if abs(w.size - SIZE) < 0.01]

    def right(text: str) -> float:
        return next(w.right for w in drawn if w.text == text)

    def left(text: str) -> float:
        return next(w.x for w in drawn if w.text == text)

    # Numbers (with their thousands separator) end where their heading ends ...
    assert right("1.000") == pytest.approx(right("Applicants"), abs=0.5)
    assert right("99.999") == pytest.approx(right("Applicants"), abs=0.5)
    assert right("42") == pytest.approx(right("Graduated"), abs=0.5)
    # ... and words start where theirs starts, whichever side of the numbers they are.
    assert left("Programme 00") == pytest.approx(left("Programme"), abs=0.5)
    assert left("note 0") == pytest.approx(left("Note"), abs=0.5)


def test_the_file_names_its_title_and_the_centre(world: World, client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.get(reverse("backoffice:reports_pdf") + "?regency=6474")
    meta = PdfReader(io.BytesIO(response.content)).metadata
    assert meta is not None
    assert meta.title == "Training report"
    assert meta.author == CentreFactory().name


def test_a_short_table_is_never_split() -> None:
    """Wherever the table before it ends, a short table is printed on one page: no row
    or two left alone at the top of the next."""
    short = Table(
        "short", "Short table", ["Stage", "People"], [[f"Stage {i}", i] for i in range(8)]
    )
    for lines in range(1, 4):
        for rows in range(5, 35):
            pdf = report_pdf(
                centre=None,
                title="Report",
                lines=["All"] * lines,
                tables=[_long_table(rows), short],
            )
            pages = {w.page for w in words(pdf) if w.text.startswith("Stage ")}
            assert len(pages) == 1, (lines, rows)
