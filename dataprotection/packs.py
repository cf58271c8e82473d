"""A subject access pack: the gathered records with the officer's redactions applied, as a zip
of a readable summary of every record (a web page), a short overview to print (a PDF), the same
data as JSON, and the original files.

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


OVERVIEW_TEMPLATE = "dataprotection/pack/overview.html"

# The person's own details shown in full in the overview: the small records, not the history.
OWN_DETAILS = ("tenancy.Customer:", "tenancy.Tenancy:")


def _field(record: dict, label: str) -> str:
    return next((value for name, value in record["fields"] if name == label), "")


def _case_line(record: dict) -> dict | None:
    """A record that is a case (it has a reference and an opened time) as one line of the
    contents; None for any other record."""
    reference = _field(record, "Reference")
    opened = _field(record, "Opened at")
    if not (reference and opened):
        return None
    prefix = f"{reference}: "
    title = record["title"]
    return {
        "reference": reference,
        "kind": record["kind"],
        "about": title[len(prefix) :] if title.startswith(prefix) else "",
        # "Monday 2 March 2026 at 9am" as kernel.formatting writes it: the day alone.
        "opened": opened.rpartition(" at ")[0] or opened,
        "status": _field(record, "Status"),
    }


def overview(data: dict) -> dict:
    """What the printed overview holds, drawn from the redacted ``data`` only (so whatever the
    pack leaves out, it leaves out too): the person's own details, and for each part a line per
    case and a count of every other kind of record and of the files."""
    own = [
        record
        for part in data["parts"]
        for record in part["records"]
        if record["key"].startswith(OWN_DETAILS)
    ]
    parts = []
    for part in data["parts"]:
        cases = []
        counts: dict[str, int] = {}
        for record in part["records"]:
            line = _case_line(record)
            if line is not None:
                cases.append(line)
            else:
                counts[record["kind"]] = counts.get(record["kind"], 0) + 1
        parts.append(
            {
                "area": part["area"],
                "cases": cases,
                "counts": sorted(counts.items()),
                "files": len(part["files"]),
                "records": len(part["records"]),
            }
        )
    return {"own_details": own, "parts": parts}


def summary_pdf(*, request: DataRequest, data: dict) -> bytes:
    """The overview to print or keep: who and what the pack is about, the person's own details
    and a contents line per case. Every record in full is in the web page and the JSON; a PDF
    of every record runs to hundreds of pages and takes WeasyPrint minutes."""
    return render_pdf(
        OVERVIEW_TEMPLATE,
        {"request": request, "data": data, "overview": overview(data), "made_at": timezone.now()},
    )


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
        archive.writestr("summary.pdf", summary_pdf(request=request, data=data))
    return buffer.getvalue()
