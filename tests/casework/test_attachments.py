from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageFile

from casework.models import Attachment, CaseEvent, EventKind
from casework.services import attachment_add
from tests.casework.factories import EnquiryFactory

GPS = ExifTags.IFD.GPSInfo


def jpeg_with_gps(size=(40, 20), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(GPS)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes(mode="RGB", size=(16, 16)) -> bytes:
    image = Image.new(mode, size)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png_bomb(width: int, height: int) -> bytes:
    """A real PNG of blank 1-bit pixels: a few hundred KB that decode to ``width * height``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row * 1000) for _ in range(height // 1000))
    data += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def enquiry(db, tenant_a):
    return EnquiryFactory(customer=tenant_a)


def test_a_photo_is_stored_without_its_exif_or_gps(enquiry, tenant_a):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)  # the test photo has GPS
    attachment = attachment_add(
        case=enquiry, uploaded_file=upload("IMG_0001.jpg", original), uploaded_by=tenant_a.user
    )
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (40, 20)
        assert len(image.getexif()) == 0
        assert "exif" not in image.info
    assert attachment.mime_type == "image/jpeg"
    assert attachment.original_name == "IMG_0001.jpg"
    assert attachment.size == attachment.file.size
    # Stored under a random name, not the uploader's.
    assert "IMG_0001" not in attachment.file.name
    event = CaseEvent.objects.get(kind=EventKind.ATTACHMENT)
    assert event.note == "File added: IMG_0001.jpg"
    assert event.visible_to_customer is True
    assert event.actor == tenant_a.user


def test_a_photo_is_turned_upright_before_its_orientation_tag_is_dropped(enquiry):
    # Orientation 6: the camera was held on its side; viewers rotate 90 degrees clockwise.
    sideways = jpeg_with_gps(size=(40, 20), orientation=6)
    attachment = attachment_add(
        case=enquiry, uploaded_file=upload("side.jpg", sideways), uploaded_by=None
    )
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (20, 40)
        assert len(image.getexif()) == 0


def test_a_png_is_accepted_and_re_encoded(enquiry):
    attachment = attachment_add(
        case=enquiry,
        uploaded_file=upload("plan.png", png_bytes("P"), "image/png"),
        uploaded_by=None,
    )
    assert attachment.mime_type == "image/png"
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "PNG"
        assert image.size == (16, 16)


def test_a_pdf_is_stored_as_uploaded(enquiry):
    attachment = attachment_add(
        case=enquiry,
        uploaded_file=upload("letter.pdf", PDF, "application/pdf"),
        uploaded_by=None,
    )
    assert attachment.mime_type == "application/pdf"
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF


def test_the_extension_follows_the_content_not_the_name(enquiry):
    attachment = attachment_add(
        case=enquiry, uploaded_file=upload("scan.png", PDF), uploaded_by=None
    )
    assert attachment.mime_type == "application/pdf"
    assert attachment.original_name == "scan.png.pdf"


def test_a_text_file_named_jpg_is_refused_and_nothing_is_written(enquiry, settings):
    with pytest.raises(ValidationError) as refused:
        attachment_add(
            case=enquiry, uploaded_file=upload("photo.jpg", b"just some text"), uploaded_by=None
        )
    assert refused.value.messages == ["The selected file must be a JPG, PNG or PDF"]
    assert not Attachment.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.ATTACHMENT).exists()
    assert stored_files(settings) == []


def test_a_file_over_10mb_is_refused(enquiry, settings):
    too_big = b"\xff\xd8\xff\xe0" + b"\x00" * (11 * 1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        attachment_add(case=enquiry, uploaded_file=upload("big.jpg", too_big), uploaded_by=None)
    assert refused.value.messages == ["The photo must be smaller than 10MB"]
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_the_eleventh_file_is_refused(enquiry, settings):
    for n in range(10):
        attachment_add(case=enquiry, uploaded_file=upload(f"page{n}.pdf", PDF), uploaded_by=None)
    with pytest.raises(ValidationError) as refused:
        attachment_add(case=enquiry, uploaded_file=upload("page10.pdf", PDF), uploaded_by=None)
    assert refused.value.messages == ["You can add up to 10 files"]
    assert Attachment.objects.count() == 10
    assert len(stored_files(settings)) == 10


def test_another_case_has_its_own_ten(enquiry, tenant_a):
    for n in range(10):
        attachment_add(case=enquiry, uploaded_file=upload(f"page{n}.pdf", PDF), uploaded_by=None)
    other = EnquiryFactory(customer=tenant_a)
    attachment_add(case=other, uploaded_file=upload("page.pdf", PDF), uploaded_by=None)
    assert Attachment.objects.filter(object_id=other.pk).count() == 1


def test_a_decompression_bomb_is_refused(enquiry, settings):
    bomb = png_bomb(30_000, 30_000)
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        attachment_add(
            case=enquiry, uploaded_file=upload("bomb.png", bomb, "image/png"), uploaded_by=None
        )
    assert refused.value.messages == [
        "The photo is too big to open. Take the photo again at a lower resolution"
    ]
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_an_image_over_our_pixel_limit_is_refused_before_it_is_decoded(enquiry):
    # 72 megapixels: under Pillow's own bomb limit, over ours.
    with pytest.raises(ValidationError, match="too big to open"):
        attachment_add(
            case=enquiry, uploaded_file=upload("huge.png", png_bomb(9000, 8000)), uploaded_by=None
        )
    assert not Attachment.objects.exists()


def test_a_small_png_of_8000_by_8000_pixels_is_refused_without_decoding_it(enquiry, monkeypatch):
    # A few hundred KB that decode to 64 million pixels: over a gigabyte once re-encoded.
    bomb = png_bomb(8000, 8000)
    assert len(bomb) < 300_000
    monkeypatch.setattr(
        ImageFile.ImageFile, "load", mock.Mock(side_effect=AssertionError("decoded"))
    )

    with pytest.raises(ValidationError, match="too big to open"):
        attachment_add(case=enquiry, uploaded_file=upload("bomb.png", bomb), uploaded_by=None)
    assert not Attachment.objects.exists()


def test_a_48_megapixel_photo_is_decoded_at_half_scale_and_kept_smaller(enquiry, monkeypatch):
    out = io.BytesIO()
    Image.new("L", (8000, 6000), 200).save(out, format="JPEG", quality=50)
    decoded_sizes = []
    real_load = ImageFile.ImageFile.load

    def load_and_note(image):
        decoded_sizes.append(image.size)
        return real_load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load_and_note)

    attachment = attachment_add(
        case=enquiry, uploaded_file=upload("wall.jpg", out.getvalue()), uploaded_by=None
    )

    assert decoded_sizes[0] == (4000, 3000)
    with attachment.file.open("rb") as stored, Image.open(stored) as kept:
        assert kept.size == (4000, 3000)


def test_a_wide_png_is_kept_scaled_down_to_the_longest_side_allowed(enquiry):
    attachment = attachment_add(
        case=enquiry,
        uploaded_file=upload("screen.png", png_bytes(size=(6000, 2000)), "image/png"),
        uploaded_by=None,
    )

    with attachment.file.open("rb") as stored, Image.open(stored) as kept:
        assert kept.size == (4000, 1333)


def test_a_damaged_photo_is_refused(enquiry):
    damaged = jpeg_with_gps()[:30]
    with pytest.raises(ValidationError, match="could not be opened"):
        attachment_add(case=enquiry, uploaded_file=upload("cut.jpg", damaged), uploaded_by=None)
    assert not Attachment.objects.exists()


def test_a_staff_only_file_is_marked_hidden(enquiry, customer_services_officer):
    attachment = attachment_add(
        case=enquiry,
        uploaded_file=upload("report.pdf", PDF),
        uploaded_by=customer_services_officer,
        visible_to_customer=False,
    )
    assert attachment.visible_to_customer is False
    assert CaseEvent.objects.get(kind=EventKind.ATTACHMENT).visible_to_customer is False


# --- files left behind by a rolled-back upload ----------------------------------------------


@pytest.fixture
def own_storage(settings, tmp_path):
    """A storage of this test's own: the removal walks every file in a folder, and other tests
    (on other workers, in open transactions) keep files in the shared test storage."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


class _ReportFailedLater(Exception):
    pass


def test_a_file_whose_upload_rolled_back_is_removed_once_a_day_old(enquiry, own_storage):
    import datetime as dt

    from django.core.files.storage import default_storage
    from django.db import transaction

    from casework.services import stored_files_without_record_remove

    with pytest.raises(_ReportFailedLater), transaction.atomic():
        lost = attachment_add(
            case=enquiry, uploaded_file=SimpleUploadedFile("plan.pdf", PDF), uploaded_by=None
        )
        raise _ReportFailedLater
    kept = attachment_add(
        case=enquiry, uploaded_file=SimpleUploadedFile("kept.pdf", PDF), uploaded_by=None
    )

    def sweep(at):
        return stored_files_without_record_remove(folder="attachments", model=Attachment, now=at)

    assert default_storage.exists(lost.file.name)
    # By the file system's clock, which dates the files.
    written = default_storage.get_modified_time(lost.file.name)
    # Within the day its transaction could still be open: left alone.
    assert sweep(written + dt.timedelta(hours=1)) == 0
    assert sweep(written + dt.timedelta(days=2)) == 1
    assert not default_storage.exists(lost.file.name)
    assert default_storage.exists(kept.file.name)
    assert sweep(written + dt.timedelta(days=2)) == 0
