"""Writes every case shares: open, move status, note, assign, link, attach files, and the
events that record what the clock engine did (met, extended, due soon, missed).

Each writes its ``CaseEvent`` in the same transaction as the change it records, so the
timeline can never disagree with the case. Service apps call these from their own services
(``enquiry_create`` calls ``case_open``) with their own transition maps.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from casework.access import case_is_sensitive
from casework.models import Attachment, Case, CaseEvent, CaseLink, EventKind, ReferenceCounter, Team
from kernel.formatting import LONDON, london_date, london_datetime
from notifications.services import StaffNotice, notify_customer, notify_staff_bulk
from sla.models import Deadline
from sla.services import ClaimedDeadline, deadline_extend, deadline_meet

if TYPE_CHECKING:
    from accounts.models import User
    from tenancy.models import Customer

logger = logging.getLogger(__name__)

CaseT = TypeVar("CaseT", bound=Case)


class InvalidTransition(Exception):
    """A status change the case's transition map does not allow. Nothing was written."""


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


def _event(
    *,
    case: Case,
    kind: str,
    actor: User | None = None,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
    visible_to_customer: bool = False,
    occurred_at: dt.datetime | None = None,
) -> CaseEvent:
    """An unsaved event on ``case``; callers save it or bulk-create a batch."""
    return CaseEvent(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        tenancy_id=case.tenancy_id,
        occurred_at=occurred_at or timezone.now(),
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
        visible_to_customer=visible_to_customer,
    )


def _person(user: User | None) -> str:
    if user is None:
        return "nobody"
    return user.get_full_name() or user.email


# ---------------------------------------------------------------------------------------------
# Opening and moving a case
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def case_reference_next(*, prefix: str, year: int) -> str:
    """The next reference for ``prefix`` in ``year``, e.g. ``ENQ-2026-000123``.

    The counter row is locked until the caller's transaction ends, so two cases opened at once
    get consecutive numbers, never the same one. A rolled-back case leaves a gap, which is
    harmless: references need to be unique, not dense.
    """
    counter = ReferenceCounter.objects.select_for_update().filter(prefix=prefix, year=year).first()
    if counter is None:
        try:
            # A savepoint: if another transaction creates the year's row first, ours stays
            # usable and we lock theirs instead.
            with transaction.atomic():
                counter = ReferenceCounter.objects.create(prefix=prefix, year=year)
        except IntegrityError:
            counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{counter.last_number:06d}"


# Set by case_open itself, so not checked again by full_clean (each check would be a query).
_SET_BY_CASE_OPEN = ["reference", "customer", "tenancy", "property", "team", "assignee"]


@transaction.atomic
def case_open(
    *,
    model: type[CaseT],
    customer: Customer,
    received_by: str,
    status: str,
    actor: User | None = None,
    opened_at: dt.datetime | None = None,
    team: Team | None = None,
    note: str = "",
    **fields,
) -> CaseT:
    """Open a case of ``model`` for ``customer`` and write its OPENED event (customer-visible).

    Tenancy and property come from the customer's household; the reference's year is the
    Europe/London year of ``opened_at``. ``fields`` are the model's own fields (an enquiry's
    subject and details); they are validated with the model's ``full_clean``.
    """
    opened_at = opened_at or timezone.now()
    if timezone.is_naive(opened_at):
        raise ValueError("opened_at must be timezone-aware.")
    tenancy = customer.tenancy
    case = model(
        reference=case_reference_next(
            prefix=model.REFERENCE_PREFIX, year=opened_at.astimezone(LONDON).year
        ),
        customer=customer,
        tenancy=tenancy,
        property_id=tenancy.property_id,
        received_by=received_by,
        status=status,
        team=team,
        opened_at=opened_at,
        **fields,
    )
    case.full_clean(exclude=_SET_BY_CASE_OPEN, validate_unique=False)
    case.save(force_insert=True)
    _event(
        case=case,
        kind=EventKind.OPENED,
        actor=actor,
        to_status=status,
        note=note,
        visible_to_customer=True,
        occurred_at=opened_at,
    ).save()
    return case


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to_status: str,
    allowed: dict[str, set[str]],
    actor: User | None = None,
    note: str = "",
    visible_to_customer: bool = True,
    closes: bool = False,
) -> CaseEvent:
    """Move ``case`` to ``to_status`` if ``allowed[current status]`` permits it.

    The row is locked and its status re-read first, so two officers acting at once cannot both
    move it from the same status. ``case`` is updated in place. Raises ``InvalidTransition``
    (nothing written) for a move the map does not allow.
    """
    locked = type(case)._default_manager.select_for_update().get(pk=case.pk)
    from_status = locked.status
    if to_status not in allowed.get(from_status, set()):
        raise InvalidTransition(
            f"{locked.reference} cannot move from '{from_status}' to '{to_status}'."
        )
    now = timezone.now()
    locked.status = to_status
    changed = ["status"]
    if closes:
        locked.closed_at = now
        changed.append("closed_at")
    locked.save(update_fields=changed)
    case.status = locked.status
    case.closed_at = locked.closed_at
    event = _event(
        case=case,
        kind=EventKind.STATUS,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
        visible_to_customer=visible_to_customer,
        occurred_at=now,
    )
    event.save()
    return event


@transaction.atomic
def case_add_note(
    *, case: Case, actor: User | None, note: str, visible_to_customer: bool
) -> CaseEvent:
    if not note.strip():
        raise ValidationError("Enter a note")
    event = _event(
        case=case,
        kind=EventKind.NOTE,
        actor=actor,
        note=note.strip(),
        visible_to_customer=visible_to_customer,
    )
    event.save()
    return event


@transaction.atomic
def case_assign(
    *, case: Case, assignee: User | None = None, team: Team | None = None, actor: User | None
) -> CaseEvent | None:
    """Give the case to ``assignee`` (None: to nobody) and, if given, move it to ``team``.

    ``team=None`` keeps the current team. Writes an internal ASSIGNED event, or nothing (and
    returns None) when neither changes.
    """
    locked = (
        type(case)
        ._default_manager.select_for_update(of=("self",))
        .select_related("team")
        .get(pk=case.pk)
    )
    new_team = team if team is not None else locked.team
    new_assignee_id = assignee.pk if assignee is not None else None
    if locked.assignee_id == new_assignee_id and locked.team_id == (new_team and new_team.pk):
        return None
    locked.assignee = assignee
    locked.team = new_team
    locked.save(update_fields=["assignee", "team"])
    case.assignee = assignee
    case.team = new_team
    note = f"Assigned to {_person(assignee)}"
    if new_team is not None:
        note += f" ({new_team.name})"
    event = _event(case=case, kind=EventKind.ASSIGNED, actor=actor, note=note)
    event.save()
    return event


@transaction.atomic
def case_link(
    *,
    from_case: Case,
    to_case: Case,
    relation: str = "about",
    actor: User | None = None,
    visible_to_customer: bool = False,
) -> CaseLink:
    """Link ``from_case`` to ``to_case`` ("a complaint about a repair") and write a LINKED event
    on each. Linking twice returns the first link and writes nothing.

    An event that names a sensitive case is never shown to a customer: the other case's
    household may include the person the sensitive case is about.
    """
    if type(from_case) is type(to_case) and from_case.pk == to_case.pk:
        raise ValueError("A case cannot be linked to itself.")
    from_type = ContentType.objects.get_for_model(from_case)
    to_type = ContentType.objects.get_for_model(to_case)
    keys = {
        "from_type": from_type,
        "from_id": from_case.pk,
        "to_type": to_type,
        "to_id": to_case.pk,
        "relation": relation,
    }
    existing = CaseLink.objects.filter(**keys).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            link = CaseLink.objects.create(**keys)
    except IntegrityError:
        return CaseLink.objects.get(**keys)
    shown = visible_to_customer and not (case_is_sensitive(from_case) or case_is_sensitive(to_case))
    CaseEvent.objects.bulk_create(
        [
            _event(
                case=from_case,
                kind=EventKind.LINKED,
                actor=actor,
                visible_to_customer=shown,
                note=f"This case is {relation} {to_case.reference}",
            ),
            _event(
                case=to_case,
                kind=EventKind.LINKED,
                actor=actor,
                visible_to_customer=shown,
                note=f"{from_case.reference} is {relation} this case",
            ),
        ]
    )
    return link


# ---------------------------------------------------------------------------------------------
# Attachments
# ---------------------------------------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_CASE = 10
# Photos are kept at most this many pixels on their longer side: plenty to see a leak or a
# crack, and what a phone's "standard" setting takes.
MAX_PHOTO_SIDE = 4000
# The most pixels a photo may have once decoded (a 6000x4000 camera photo): a decoded pixel
# costs up to 4 bytes and re-encoding holds a few copies, so this bounds one upload's memory to a
# few hundred MB (a 243 KB PNG of 8000x8000 pixels took 1.1 GB under the earlier 64-megapixel
# limit). Checked on the header's dimensions, before a single pixel is decoded. A larger JPEG is
# decoded at a reduced scale (1/2, 1/4 or 1/8) that fits, which costs no more; a PNG has no such
# scale, so a larger one is refused. Pillow's own bomb check (on by default) fires far above.
MAX_DECODED_PIXELS = 24_000_000
# Even at 1/8 scale the decoder reads every block: a 200-megapixel phone photo, and no more.
MAX_JPEG_PIXELS = 200_000_000
_JPEG_SCALES = (1, 2, 4, 8)

# What the bytes say the file is, never the name or the browser's content type.
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
# Audio and video recordings, accepted where a case takes them as evidence (``recordings=True``):
# kept as uploaded, like a PDF, and served only as a download.
_RECORDING_SIGNATURES = (
    (b"ID3", "audio/mpeg"),
    (b"\xff\xfb", "audio/mpeg"),
    (b"\xff\xf3", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
    (b"\x1aE\xdf\xa3", "video/webm"),
)
_PILLOW_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG"}
_EXTENSIONS = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "application/pdf": (".pdf",),
    "audio/mpeg": (".mp3",),
    "audio/ogg": (".ogg",),
    "audio/wav": (".wav",),
    "video/webm": (".webm",),
    "video/mp4": (".mp4", ".m4a", ".mov"),
}


def _sniff_mime_type(uploaded_file: File, *, recordings: bool = False) -> str | None:
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    for signature, mime_type in _SIGNATURES:
        if head.startswith(signature):
            return mime_type
    if recordings:
        for signature, mime_type in _RECORDING_SIGNATURES:
            if head.startswith(signature):
                return mime_type
        if head[4:8] == b"ftyp":  # MP4, M4A and QuickTime
            return "video/mp4"
        if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
            return "audio/wav"
    return None


def _safe_original_name(name: str, mime_type: str) -> str:
    """The uploader's file name for display and download: no path, no control characters, and
    an extension that matches what the file really is."""
    base = "".join(ch for ch in os.path.basename(name or "") if ch.isprintable()).strip()
    stem, extension = os.path.splitext(base)
    allowed = _EXTENSIONS[mime_type]
    if extension.lower() not in allowed:
        stem, extension = base, allowed[0]
    stem = stem or "file"
    return f"{stem[: 255 - len(extension)]}{extension}"


def _photo_without_metadata(uploaded_file: File, mime_type: str) -> bytes:
    """Re-encode a photo from its pixels alone: EXIF (GPS position, camera serial, time), XMP
    and comments are dropped. The EXIF orientation is applied first, so the photo still shows
    the right way up once the tag that said how to turn it is gone. A photo larger than
    ``MAX_PHOTO_SIDE`` is kept scaled down to it; one that would decode to more than
    ``MAX_DECODED_PIXELS`` is refused before it is decoded."""
    pillow_format = _PILLOW_FORMAT[mime_type]
    try:
        with Image.open(uploaded_file, formats=[pillow_format]) as source:
            width, height = source.size
            if pillow_format == "JPEG" and width * height <= MAX_JPEG_PIXELS:
                scale = next(
                    (s for s in _JPEG_SCALES if (width // s) * (height // s) <= MAX_DECODED_PIXELS),
                    _JPEG_SCALES[-1],
                )
                if scale > 1:
                    source.draft(source.mode, (width // scale, height // scale))
            decoded_width, decoded_height = source.size
            if decoded_width * decoded_height > MAX_DECODED_PIXELS:
                raise Image.DecompressionBombError(f"{width}x{height} pixels")
            source.load()
            # Scaled down in place before any copy is made (the box is square, so turning the
            # photo upright afterwards keeps it within the size).
            source.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            upright = ImageOps.exif_transpose(source)
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            "The photo is too big to open. Take the photo again at a lower resolution",
            code="photo_too_many_pixels",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            "The photo could not be opened. It may be damaged: try taking it again",
            code="photo_unreadable",
        ) from exc
    if pillow_format == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    if pillow_format == "PNG" and upright.mode not in ("1", "L", "LA", "I", "I;16", "RGB", "RGBA"):
        # Palette images would lose their palette below; RGBA keeps colours and transparency.
        upright = upright.convert("RGBA")
    # A new image from raw pixels carries no info dict, so nothing but pixels can be saved.
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    output = io.BytesIO()
    if pillow_format == "JPEG":
        clean.save(output, format="JPEG", quality=90)
    else:
        clean.save(output, format="PNG")
    return output.getvalue()


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed ``attachment_check``: what it really is, what to store (a photo
    re-encoded without its metadata, a PDF as uploaded) and the name to show."""

    mime_type: str
    content: File
    original_name: str


# Names in a PDF that make it act rather than show: scripts, launching programs, files carried
# inside it, embedded media and forms that post somewhere. Certificates need none of them, and a
# PDF served to a household must not carry them. Names may be written with #xx escapes
# (/J#61vaScript), so each name is decoded before it is compared.
PDF_ACTIVE_CONTENT_NAMES = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"SubmitForm",
        b"ImportData",
    }
)
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# A PDF ends with its end-of-file marker; some writers add a few bytes after it.
_PDF_TAIL_BYTES = 1024


_PDF_STREAM = re.compile(rb"stream\r?\n")
# How much a PDF's compressed streams may inflate to while they are searched: far above any
# certificate, far below what a deflate bomb would take.
MAX_PDF_INFLATED_BYTES = 64 * 1024 * 1024


def _pdf_streams_inflated(data: bytes) -> Iterator[bytes]:
    """Each deflated stream of a PDF, inflated (object streams hold dictionaries there), up to
    ``MAX_PDF_INFLATED_BYTES`` in all; a stream that is not deflated is skipped (its bytes were
    searched as they are)."""
    budget = MAX_PDF_INFLATED_BYTES
    for match in _PDF_STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(data[match.end() :], budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        yield chunk
        if budget <= 0:
            raise ValidationError(
                "The selected PDF could not be checked. Save it as a plain PDF (for example, "
                "print it to PDF) and upload that",
                code="pdf_unreadable",
            )


def _active_names(data: bytes) -> set[str]:
    found = set()
    for match in _PDF_NAME.finditer(data):
        name = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        if name in PDF_ACTIVE_CONTENT_NAMES:
            found.add(name.decode("ascii"))
    return found


def _pdf_active_content(data: bytes) -> set[str]:
    """The names of active content found in a PDF: in its bytes as they are, and inside its
    deflated streams (where object streams keep dictionaries)."""
    found = _active_names(data)
    for inflated in _pdf_streams_inflated(data):
        found |= _active_names(inflated)
    return found


def _check_pdf(uploaded_file: File, *, whole_document: bool) -> None:
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    if whole_document and b"%%EOF" not in data[-_PDF_TAIL_BYTES:]:
        raise ValidationError(
            "The selected PDF is not complete. Save it again and upload the new copy",
            code="pdf_incomplete",
        )
    if _pdf_active_content(data):
        raise ValidationError(
            "The selected PDF contains scripts, attached files or other active content. Save "
            "it as a plain PDF (for example, print it to PDF) and upload that",
            code="pdf_active_content",
        )


def attachment_check(
    uploaded_file: File,
    *,
    photos_only: bool = False,
    pdf_only: bool = False,
    recordings: bool = False,
) -> CheckedFile:
    """Every check an upload must pass before it is kept, with the message for the uploader:
    a JPEG, PNG or PDF by its bytes (only JPEG or PNG with ``photos_only``; only PDF with
    ``pdf_only``; also an MP3, M4A, MP4, WAV, OGG or WebM recording with ``recordings``), not
    empty, under 10 MB, a photo that opens safely, and a PDF without active content (scripts,
    launch actions, embedded files). Raises ``ValidationError``.

    ``pdf_only`` is for documents such as safety certificates: the PDF must also be whole (its
    end-of-file marker present).

    Services that keep files elsewhere first (photos added while a report is still being
    written) call it too, so what they accept ``attachment_add`` accepts later.
    """
    if photos_only and pdf_only:
        raise ValueError("An upload cannot be only photos and only PDFs.")
    mime_type = _sniff_mime_type(
        uploaded_file, recordings=recordings and not photos_only and not pdf_only
    )
    if photos_only and mime_type not in _PILLOW_FORMAT:
        raise ValidationError("The selected file must be a JPG or PNG photo", code="file_type")
    if pdf_only and mime_type != "application/pdf":
        raise ValidationError("The selected file must be a PDF", code="file_type")
    if mime_type is None:
        kinds = (
            "a JPG, PNG, PDF or a sound or video recording" if recordings else "a JPG, PNG or PDF"
        )
        raise ValidationError(f"The selected file must be {kinds}", code="file_type")
    if mime_type.startswith(("audio/", "video/")):
        noun = "recording"
    else:
        noun = "PDF" if mime_type == "application/pdf" else "photo"
    if uploaded_file.size == 0:
        raise ValidationError(f"The selected {noun} is empty", code="file_empty")
    if uploaded_file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"The {noun} must be smaller than 10MB", code="file_size")
    if noun == "photo":
        content: File = ContentFile(_photo_without_metadata(uploaded_file, mime_type))
    elif noun == "PDF":
        _check_pdf(uploaded_file, whole_document=pdf_only)
        content = uploaded_file
    else:
        uploaded_file.seek(0)
        content = uploaded_file
    return CheckedFile(
        mime_type=mime_type,
        content=content,
        original_name=_safe_original_name(uploaded_file.name or "", mime_type),
    )


@transaction.atomic
def attachment_add(
    *,
    case: Case,
    uploaded_file: File,
    uploaded_by: User | None,
    visible_to_customer: bool = True,
    recordings: bool = False,
) -> Attachment:
    """Keep a JPEG, PNG or PDF (or, with ``recordings``, a sound or video recording) on the
    case, with an ATTACHMENT event.

    Raises ``ValidationError`` with a message for the uploader when the file is of another
    type, too large, one too many for the case, or an image that cannot be opened safely.
    Photos are stored re-encoded without metadata; PDFs as uploaded. Files are stored under
    random names; a transaction rolled back after the file is written leaves an unreachable
    file behind, which ``stored_files_without_record_remove`` deletes the next night.
    """
    checked = attachment_check(uploaded_file, recordings=recordings)
    # Lock the case so two uploads at once cannot both be the tenth.
    list(
        type(case)
        ._default_manager.select_for_update()
        .filter(pk=case.pk)
        .values_list("pk", flat=True)
    )
    content_type = ContentType.objects.get_for_model(case)
    existing = Attachment.objects.filter(content_type=content_type, object_id=case.pk).count()
    if existing >= MAX_ATTACHMENTS_PER_CASE:
        raise ValidationError(
            f"You can add up to {MAX_ATTACHMENTS_PER_CASE} files", code="too_many_files"
        )
    mime_type, original_name = checked.mime_type, checked.original_name
    attachment = Attachment(
        content_type=content_type,
        object_id=case.pk,
        original_name=original_name,
        mime_type=mime_type,
        uploaded_by=uploaded_by,
        uploaded_at=timezone.now(),
        visible_to_customer=visible_to_customer,
    )
    # The name passed here is ignored by attachment_path, which picks a random one.
    attachment.file.save(_EXTENSIONS[mime_type][0], checked.content, save=False)
    attachment.size = attachment.file.size
    attachment.save()
    _event(
        case=case,
        kind=EventKind.ATTACHMENT,
        actor=uploaded_by,
        note=f"File added: {original_name}",
        visible_to_customer=visible_to_customer,
        occurred_at=attachment.uploaded_at,
    ).save()
    return attachment


# Old enough that no transaction that wrote the file can still be open.
ORPHAN_FILE_MIN_AGE = dt.timedelta(days=1)


def stored_files_without_record_remove(
    *,
    folder: str,
    model: type[models.Model],
    field_name: str = "file",
    now: dt.datetime | None = None,
) -> int:
    """Delete the files under ``folder`` in the default storage that no ``model`` row refers to
    (by ``field_name``) and that are older than ``ORPHAN_FILE_MIN_AGE``; return how many.

    A file is written before its row, so a transaction rolled back after an upload (a report
    that failed later, a worker that crashed) leaves the file behind with nothing pointing to
    it: a photo of someone's home that nobody can reach or delete. Safe to run again and
    alongside uploads: young files are left alone, and each folder's names are checked against
    the table in one query, so memory stays bounded however many files there are.
    """
    cutoff = (now or timezone.now()) - ORPHAN_FILE_MIN_AGE
    removed = 0
    for names in _stored_names_by_folder(folder):
        kept = set(
            model._default_manager.filter(**{f"{field_name}__in": names}).values_list(
                field_name, flat=True
            )
        )
        for name in names:
            if name in kept or default_storage.get_modified_time(name) > cutoff:
                continue
            default_storage.delete(name)
            removed += 1
    if removed:
        logger.info("Removed %d stored files under %s with no %s.", removed, folder, model)
    return removed


def _stored_names_by_folder(folder: str) -> Iterator[list[str]]:
    """The names of the files in ``folder`` and each folder below it, one folder at a time."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    if files:
        yield [f"{folder}/{name}" for name in files]
    for child in folders:
        yield from _stored_names_by_folder(f"{folder}/{child}")


# ---------------------------------------------------------------------------------------------
# Deadlines: what the clock engine did, on the case's timeline
# ---------------------------------------------------------------------------------------------


def _check_deadline_belongs(case: Case, deadline: Deadline) -> None:
    content_type = ContentType.objects.get_for_model(case)
    if (deadline.content_type_id, deadline.object_id) != (content_type.pk, case.pk):
        raise ValueError(f"Deadline {deadline.pk} is not on {case.reference}.")


@transaction.atomic
def case_deadline_meet(
    *,
    case: Case,
    code: str,
    actor: User | None = None,
    met_at: dt.datetime | None = None,
    only: Deadline | None = None,
) -> list[Deadline]:
    """Meet the case's open ``code`` deadlines (sla; ``only`` that one of them) and write an
    internal DEADLINE_MET event for each, saying whether it was met on time."""
    met = deadline_meet(case=case, code=code, met_at=met_at, only=only)
    events = []
    for deadline in met:
        timing = "on time" if deadline.met_on_time else "late"
        events.append(
            _event(
                case=case,
                kind=EventKind.DEADLINE_MET,
                actor=actor,
                note=f"{deadline.commitment.title}: done {timing} (due {london_datetime(deadline.due_at)})",
                occurred_at=deadline.met_at,
            )
        )
    CaseEvent.objects.bulk_create(events)
    return met


@transaction.atomic
def case_deadline_extend(
    *,
    case: Case,
    deadline: Deadline,
    new_due_at: dt.datetime,
    reason: str,
    by: User,
    tell_customer: bool,
    customer_told_at: dt.datetime | None = None,
) -> Deadline:
    """Move a deadline to ``new_due_at`` for ``reason`` (sla), write a customer-visible
    DEADLINE_EXTENDED event with the new date and the reason, and, when ``tell_customer``,
    queue a message to the customer (sent to their safe contact if the case is sensitive).

    A service that sends its own notice (complaints: with the Ombudsman's details) passes
    ``tell_customer=False`` and the time its notice went as ``customer_told_at``."""
    _check_deadline_belongs(case, deadline)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Enter the reason for the new date")
    told_at = timezone.now() if tell_customer else customer_told_at
    deadline = deadline_extend(
        deadline=deadline, new_due_at=new_due_at, reason=reason, by=by, customer_told_at=told_at
    )
    commitment = deadline.commitment
    new_date = london_date(deadline.due_at)
    _event(
        case=case,
        kind=EventKind.DEADLINE_EXTENDED,
        actor=by,
        note=f"New date for '{commitment.title}': {new_date}. Reason: {reason}",
        visible_to_customer=True,
    ).save()
    if tell_customer:
        extensions = CaseEvent.objects.filter(
            content_type_id=deadline.content_type_id,
            object_id=case.pk,
            kind=EventKind.DEADLINE_EXTENDED,
        ).count()
        notify_customer(
            customer=case.customer,
            subject=f"We need more time: {case.reference}",
            body=(
                f"We are sorry, we need more time for your case {case.reference}.\n\n"
                f"{commitment.title}: we will now do this by {new_date}.\n\n"
                f"Why: {reason}"
            ),
            key=f"deadline:{deadline.pk}:extended:{extensions}",
            about=case,
            sensitive=case_is_sensitive(case),
        )
    return deadline


# Stands for the case's id while its admin address is reversed once per case model.
_PK_PLACEHOLDER = "case-pk"
_OPEN_THE_CASE = "\n\nOpen the case: "


def _staff_link_maker(model: type[Case]) -> Callable[[int], str]:
    """The "Open the case" line of an escalation email for a case of ``model``, by id.

    The admin address is reversed once per model and the id put in its place: reversing it for
    each of a sweep's thousands of cases cost more than everything else the handler did. An
    address whose pattern will not take the placeholder is reversed case by case.
    """
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
    try:
        path = reverse(name, args=[_PK_PLACEHOLDER])
    except NoReverseMatch:
        return partial(_staff_link, name)
    before, _, after = path.partition(_PK_PLACEHOLDER)
    return lambda pk: f"{_OPEN_THE_CASE}{settings.SITE_URL}{before}{pk}{after}"


def _staff_link(name: str, pk: int) -> str:
    try:
        path = reverse(name, args=[pk])
    except NoReverseMatch:
        return ""
    return f"{_OPEN_THE_CASE}{settings.SITE_URL}{path}"


class _Escalation(NamedTuple):
    """What one claimed deadline writes, before its case is joined in: the event's note, and
    the email's subject and body around the case's reference (``<head><reference><tail>`` and
    ``<reference><tail><link>``), so the database can fill in the case."""

    deadline_id: int
    case_id: int
    occurred_at: dt.datetime
    note: str
    subject_tail: str
    body_tail: str
    link: str


def _escalations(
    group: list[ClaimedDeadline],
    *,
    kind: str,
    now: dt.datetime,
    due_texts: dict,
    link: Callable[[int], str],
) -> list[_Escalation]:
    rows = []
    for deadline in group:
        due = due_texts.get(deadline.due_at)
        if due is None:
            # Many clocks fall due at the same close of day: format each due time once.
            due = due_texts[deadline.due_at] = london_datetime(deadline.due_at)
        title = deadline.commitment.title
        if kind == EventKind.DEADLINE_BREACHED:
            note = f"Missed: {title} was due {due}"
            occurred_at = deadline.marked_at
            body_tail = f": '{title}' was due {due} and is now overdue."
        else:
            note = f"Due soon: {title} is due {due}"
            occurred_at = now
            body_tail = f": '{title}' is due {due}."
        rows.append(
            _Escalation(
                deadline_id=deadline.pk,
                case_id=deadline.object_id,
                occurred_at=occurred_at,
                note=note,
                subject_tail=f" {title}",
                body_tail=body_tail,
                link=link(deadline.object_id),
            )
        )
    return rows


_SUBJECT_HEADS: dict[str, str] = {
    EventKind.DEADLINE_BREACHED: "Overdue: ",
    EventKind.DEADLINE_WARNING: "Due soon: ",
}


def _escalate(deadlines: Iterable[ClaimedDeadline], *, kind: str, key_word: str) -> None:
    """One internal event per deadline and one email each to the case's assignee and its team's
    lead (once if they are the same person; only if active with an email address).

    Called inside the sweep's transaction with the rows it just claimed, so it costs a fixed
    number of queries per batch however many deadlines there are: the cases are read once per
    case model and the rows written through ``bulk_create`` and ``notify_staff_bulk``, the same
    statements on every database (docs/decisions/0012-one-statement-per-rule.md). The emails
    are idempotent on their keys and delivery is kicked once on commit. If anything raises, the
    sweep's marks roll back with the events and emails, and the next sweep escalates the batch
    again.
    """
    by_type: dict[int, list[ClaimedDeadline]] = defaultdict(list)
    for deadline in deadlines:
        by_type[deadline.content_type_id].append(deadline)
    now = timezone.now()
    due_texts: dict[dt.datetime, str] = {}
    for content_type_id, group in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, Case):
            # A service app may keep clocks on records that are not cases (a safety check of a
            # home): it says so with ``ESCALATED_BY_ITS_APP`` and registers its own handler.
            if not getattr(model, "ESCALATED_BY_ITS_APP", False):
                logger.error(
                    "Deadlines %s are on %s, which is not a case.", [d.pk for d in group], model
                )
            continue
        rows = _escalations(
            group, kind=kind, now=now, due_texts=due_texts, link=_staff_link_maker(model)
        )
        _escalate_cases(model, content_type_id, rows, kind=kind, key_word=key_word)


def _escalate_cases(
    model: type[Case], content_type_id: int, rows: list[_Escalation], *, kind: str, key_word: str
) -> None:
    user_model = model._meta.get_field("assignee").related_model
    staff: dict[int, Any] = {}

    def member(user_id: int | None, email: str | None, is_active: bool | None) -> Any:
        # Only what a message needs (its id and address), once per person.
        if user_id is None or not email or not is_active:
            return None
        if user_id not in staff:
            staff[user_id] = user_model(pk=user_id, email=email)
        return staff[user_id]

    cases = {}
    for pk, reference, tenancy_id, *people in model._default_manager.filter(
        pk__in={row.case_id for row in rows}
    ).values_list(
        "pk",
        "reference",
        "tenancy_id",
        "assignee_id",
        "assignee__email",
        "assignee__is_active",
        "team__lead_id",
        "team__lead__email",
        "team__lead__is_active",
    ):
        told = [member(*people[:3]), member(*people[3:])]
        cases[pk] = (reference, tenancy_id, {u.pk: u for u in told if u is not None})
    events: list[CaseEvent] = []
    notices: list[StaffNotice] = []
    for row in rows:
        case = cases.get(row.case_id)
        if case is None:
            logger.error("Deadline %s is on a case that no longer exists.", row.deadline_id)
            continue
        reference, tenancy_id, recipients = case
        events.append(
            CaseEvent(
                content_type_id=content_type_id,
                object_id=row.case_id,
                tenancy_id=tenancy_id,
                occurred_at=row.occurred_at,
                kind=kind,
                note=row.note,
                visible_to_customer=False,
            )
        )
        about = model(pk=row.case_id)  # type: ignore[misc]  # concrete case models have a pk
        notices.extend(
            StaffNotice(
                user=user,
                subject=f"{_SUBJECT_HEADS[kind]}{reference}{row.subject_tail}"[:200],
                body=f"{reference}{row.body_tail}{row.link}",
                key=f"deadline:{row.deadline_id}:{key_word}:{user.pk}",
                about=about,
            )
            for user in recipients.values()
        )
    CaseEvent.objects.bulk_create(events)
    if notices:
        notify_staff_bulk(items=notices)


@transaction.atomic
def case_deadlines_breached(deadlines: list[ClaimedDeadline]) -> None:
    """Breach handler for the sla sweep: record and escalate newly missed deadlines."""
    _escalate(deadlines, kind=EventKind.DEADLINE_BREACHED, key_word="breach")


@transaction.atomic
def case_deadlines_due_soon(deadlines: list[ClaimedDeadline]) -> None:
    """Warning handler for the sla sweep: record and tell the owners of deadlines due soon."""
    _escalate(deadlines, kind=EventKind.DEADLINE_WARNING, key_word="warning")
