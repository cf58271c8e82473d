"""Files on a case: what a file must be to be kept, adding it, and removing orphans."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from casework.models import Attachment, Case, EventKind
from casework.services.lifecycle import _event

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


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
