"""PDFs drawn from the same templates as the pages, so a printed copy says what the page says.

WeasyPrint renders HTML and CSS and never runs scripts; its fetcher here allows no protocol, so
a PDF never reaches the network or the disk for a resource and holds only what the template
put in it (a link to an outside stylesheet is left out, with a warning in the log).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The PDF of ``template_name`` rendered with ``context``. Styles belong in the template's
    own ``<style>`` block, since nothing outside it is fetched."""
    # Imported here: WeasyPrint loads Pango, which only the PDFs need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
