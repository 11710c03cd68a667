"""Voice samples (for dialogue models that clone a voice): checked by content, not by name."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from .images import human_size

ACCEPT_ATTRIBUTE = "audio/wav,audio/x-wav,audio/mpeg,audio/mp4,.wav,.mp3,.m4a"


def _kind(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[4:8] == b"ftyp":
        return "m4a"
    return None


def clean_voice_sample(upload) -> ContentFile:
    """A WAV, MP3 or M4A file under the size cap, stored under a name we choose."""
    limit = settings.VOICE_SAMPLE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"This voice sample is larger than {human_size(limit)}.", code="too_big"
        )
    upload.seek(0)
    data = upload.read()
    kind = _kind(data[:16])
    if kind is None:
        raise ValidationError("Upload a voice sample as WAV, MP3 or M4A audio.", code="not_audio")
    return ContentFile(data, name=f"voice.{kind}")
