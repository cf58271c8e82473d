"""A PDF carries the words of the template it was drawn from, and nothing fetched from outside."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from kernel.pdf import render_pdf

TEMPLATES = Path(__file__).parent / "templates"


def test_a_pdf_says_what_its_template_says(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [TEMPLATES]}]

    pdf = render_pdf("pdf_statement.html", {"name": "Amina Khan", "balance": "£12.34 in credit"})

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Rent statement for Amina Khan" in text
    assert "Balance: £12.34 in credit" in text


def test_a_pdf_never_fetches_a_resource_from_outside(settings, tmp_path):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [TEMPLATES]}]
    stylesheet = tmp_path / "outside.css"
    stylesheet.write_text('h1::after { content: " FETCHED FROM OUTSIDE"; }')

    pdf = render_pdf(
        "pdf_statement.html",
        {"name": "Amina Khan", "balance": "£0.00", "stylesheet": stylesheet.as_uri()},
    )

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Rent statement for Amina Khan" in text
    assert "FETCHED FROM OUTSIDE" not in text
