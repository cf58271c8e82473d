"""A subject access pack: the gathered records with the officer's redactions applied, as a zip
of a readable summary (a web page, and a PDF drawn from the same template), the same data as
JSON, and the original files.

Pure functions of the gathered data and the redactions, so the pack the person downloads is the
pack the officer reviewed, and a test can read it back.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from dataprotection.models import DataRequest, Redaction, RedactionKind
from kernel.pdf import render_pdf

REMOVED = "[removed: another person's information]"


def _remover(redactions: list[Redaction]):
    words = [r.target for r in redactions if r.kind == RedactionKind.TEXT]
    if not words:
        return lambda value: value
    # Longest first, so "Ben Okafor" goes whole before "Ben" could split it.
    pattern = re.compile(
        "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE
    )
    return lambda value: pattern.sub(REMOVED, value) if isinstance(value, str) else value


def redacted(gathered: dict, redactions: list[Redaction]) -> dict:
    """``gathered`` with withheld records (and their files) left out and every removed phrase
    replaced, in titles and fields alike. The list of names offered for redaction is dropped:
    it is for the officer, not the pack."""
    withheld = {r.target for r in redactions if r.kind == RedactionKind.RECORD}
    remove = _remover(redactions)
    parts = []
    for part in gathered["parts"]:
        records = [
            {
                "key": record["key"],
                "kind": record["kind"],
                "title": remove(record["title"]),
                "fields": [[label, remove(value)] for label, value in record["fields"]],
            }
            for record in part["records"]
            if record["key"] not in withheld
        ]
        files = [
            {**file, "name": remove(file["name"])}
            for file in part["files"]
            if file["record_key"] not in withheld
        ]
        parts.append({"app": part["app"], "area": part["area"], "records": records, "files": files})
    return {
        "reference": gathered["reference"],
        "person": gathered["person"],
        "gathered_at": gathered["gathered_at"],
        "redactions": len(redactions),
        "parts": parts,
    }


def _file_entry(index: int, name: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80] or "file"
    return f"files/{index:04d}-{safe}"


SUMMARY_TEMPLATE = "dataprotection/pack/summary.html"


def _summary_context(request: DataRequest, data: dict, file_entries: dict[str, list[str]]) -> dict:
    return {
        "request": request,
        "data": data,
        "file_entries": file_entries,
        "made_at": timezone.now(),
    }


def summary_html(*, request: DataRequest, data: dict, file_entries: dict[str, list[str]]) -> str:
    return render_to_string(SUMMARY_TEMPLATE, _summary_context(request, data, file_entries))


def summary_pdf(*, request: DataRequest, data: dict, file_entries: dict[str, list[str]]) -> bytes:
    """The summary to print or keep: the same template as the web page, so it says the same,
    with the same redactions."""
    return render_pdf(SUMMARY_TEMPLATE, _summary_context(request, data, file_entries))


def build_zip(*, request: DataRequest, gathered: dict, redactions: list[Redaction]) -> bytes:
    data = redacted(gathered, redactions)
    buffer = io.BytesIO()
    file_entries: dict[str, list[str]] = {}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        index = 0
        for part in data["parts"]:
            for file in part["files"]:
                index += 1
                entry = _file_entry(index, file["name"])
                try:
                    with default_storage.open(file["storage_name"], "rb") as handle:
                        archive.writestr(entry, handle.read())
                except FileNotFoundError:
                    # Removed since it was gathered (the retention task): say so, do not fail.
                    entry = f"{entry} (no longer held)"
                file["in_pack"] = entry
                file_entries.setdefault(file["record_key"], []).append(entry)
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=1))
        archive.writestr(
            "index.html", summary_html(request=request, data=data, file_entries=file_entries)
        )
        archive.writestr(
            "summary.pdf", summary_pdf(request=request, data=data, file_entries=file_entries)
        )
    return buffer.getvalue()
