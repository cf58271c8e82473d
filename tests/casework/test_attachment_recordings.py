"""Recordings are accepted only where a case asks for them (``recordings=True``)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.services import attachment_check

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 100


@pytest.mark.parametrize(
    ("content", "mime_type"),
    [(MP4, "video/mp4"), (WAV, "audio/wav"), (b"ID3\x03" + b"\x00" * 50, "audio/mpeg")],
)
def test_a_recording_is_accepted_where_recordings_are_asked_for(content, mime_type):
    checked = attachment_check(SimpleUploadedFile("r.bin", content), recordings=True)
    assert checked.mime_type == mime_type


def test_a_recording_is_refused_elsewhere():
    with pytest.raises(ValidationError):
        attachment_check(SimpleUploadedFile("r.mp4", MP4))


def test_a_recording_is_never_a_photo():
    with pytest.raises(ValidationError):
        attachment_check(SimpleUploadedFile("r.mp4", MP4), photos_only=True, recordings=True)
