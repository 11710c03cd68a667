"""Hero frames and reference images through the real forms: good files are re-encoded to JPEG,
hostile ones are refused with a message under the field and nothing saved is touched."""

from __future__ import annotations

import functools
import io
import random
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageFile

from projects.images import clean_uploaded_image
from projects.models import ReferenceImage, Shot
from projects.services.shot_media import reference_add, shot_set_hero_frame
from tests.factories import image_bytes
from tests.projects.test_permissions import shot_post


# --- making files -----------------------------------------------------------------------------
def noisy_bytes(fmt: str, size=(300, 200), mode="RGB") -> bytes:
    """An image that does not compress, so cutting it in half really loses pixel data."""
    channels = len(mode)
    noise = random.Random(7).randbytes(size[0] * size[1] * channels)
    buffer = io.BytesIO()
    Image.frombytes(mode, size, noise).save(buffer, fmt)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Spy Camera Co"
    exif[ExifTags.Base.Model] = "Tracker 3000"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 1.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 53.0, 2.0)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 90, 160)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@functools.cache
def png_bomb(side: int = 20_000) -> bytes:
    """A real 1-bit PNG of side x side black pixels: 400 megapixels in a few dozen kilobytes."""
    compressor = zlib.compressobj(9)
    row = bytes(1 + side // 8)  # filter byte + packed pixels
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


MB = 1024 * 1024
BAD_FILES = {
    "not-an-image": (
        lambda: upload("frame.png", b"Just some notes, not a picture.\n" * 20, "image/png"),
        "This file is not a JPEG, PNG or WebP image we can read.",
    ),
    "truncated-png": (
        lambda: upload("frame.png", (d := noisy_bytes("PNG"))[: len(d) // 2], "image/png"),
        "This image is damaged or incomplete. Export it again and retry.",
    ),
    "truncated-jpeg": (
        lambda: upload("frame.jpg", (d := noisy_bytes("JPEG"))[: len(d) // 2], "image/jpeg"),
        "This image is damaged or incomplete. Export it again and retry.",
    ),
    "decompression-bomb": (
        lambda: upload("frame.png", png_bomb(), "image/png"),
        "This image has too many pixels (the limit is 40 megapixels).",
    ),
    "svg": (
        lambda: upload(
            "frame.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
            "image/svg+xml",
        ),
        "SVG files are not accepted. Upload a JPEG, PNG or WebP image.",
    ),
    "png-named-jpg": (
        lambda: upload("frame.jpg", image_bytes("PNG"), "image/jpeg"),
        "This file is a PNG image but is named .jpg. Rename it or export it again.",
    ),
    "gif": (
        lambda: upload("frame.gif", image_bytes("GIF"), "image/gif"),
        "Upload a JPEG, PNG or WebP image (.jpg, .png or .webp).",
    ),
    "gif-named-png": (
        lambda: upload("frame.png", image_bytes("GIF"), "image/png"),
        "This file is not a JPEG, PNG or WebP image we can read.",
    ),
    "no-extension": (
        lambda: upload("frame", image_bytes("PNG"), "image/png"),
        "Upload a JPEG, PNG or WebP image (.jpg, .png or .webp).",
    ),
    "too-small": (
        lambda: upload("frame.png", image_bytes("PNG", size=(8, 8)), "image/png"),
        "This image is too small to use as a frame (at least 16 pixels a side).",
    ),
}
GOOD_FORMATS = [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")]


def error_under(html: str, field_name: str) -> list[str]:
    start = html.index(f'id="field-{field_name}"')
    block = html[start : html.index("</div>", start)]
    return [part.split("</p>")[0] for part in block.split('<p class="error" role="alert">')[1:]]


def stored_image(field_file) -> Image.Image:
    with default_storage.open(field_file.name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def stored_bytes(field_file) -> bytes:
    with default_storage.open(field_file.name, "rb") as handle:
        return handle.read()


# --- fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def shot_url(project, shot):
    return reverse("projects:shot", args=[project.pk, shot.pk])


@pytest.fixture
def reference_url(project, shot):
    return reverse("projects:reference-add", args=[project.pk, shot.pk])


@pytest.fixture
def framed_shot(shot, png_upload):
    """The shot with a hero frame already saved, and a few fields filled in."""
    shot.notes = "Saved notes"
    shot.camera_notes = "steady"
    shot.save()
    shot_set_hero_frame(shot=shot, image=clean_uploaded_image(png_upload()))
    shot.refresh_from_db()
    return shot


def post_hero(client, url, shot, file, **changes):
    return client.post(url, shot_post(shot, hero_upload=file, **changes))


# --- hero frame: good files -------------------------------------------------------------------
@pytest.mark.parametrize(("fmt", "extension"), GOOD_FORMATS)
def test_hero_frame_is_stored_as_a_fresh_jpeg(client, editor, shot, shot_url, fmt, extension):
    client.force_login(editor)
    file = upload(f"frame.{extension}", image_bytes(fmt, size=(1200, 800)))
    response = post_hero(client, shot_url, shot, file)
    assert response.status_code == 302
    shot.refresh_from_db()
    assert stored_image(shot.hero_frame).format == "JPEG"
    assert stored_image(shot.hero_frame).size == (1200, 800)
    assert (shot.hero_width, shot.hero_height) == (1200, 800)
    assert shot.hero_frame.name.endswith(".jpg")


@pytest.mark.parametrize(("fmt", "extension"), GOOD_FORMATS)
def test_hero_thumbnail_is_a_jpeg_at_most_480_pixels(
    client, editor, shot, shot_url, fmt, extension
):
    client.force_login(editor)
    post_hero(client, shot_url, shot, upload(f"f.{extension}", image_bytes(fmt, size=(1200, 800))))
    shot.refresh_from_db()
    thumbnail = stored_image(shot.hero_thumbnail)
    assert thumbnail.format == "JPEG"
    assert thumbnail.size == (480, 320)


def test_hero_frame_upload_says_it_was_saved(client, editor, shot, shot_url, png_upload):
    client.force_login(editor)
    response = client.post(shot_url, shot_post(shot, hero_upload=png_upload()), follow=True)
    assert f"Shot {shot.label} saved." in response.content.decode()


def test_hero_frame_loses_exif_and_gps(client, editor, shot, shot_url):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    client.force_login(editor)
    post_hero(client, shot_url, shot, upload("holiday.jpg", original, "image/jpeg"))
    shot.refresh_from_db()
    for field_file in (shot.hero_frame, shot.hero_thumbnail):
        image = stored_image(field_file)
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert b"Spy Camera Co" not in stored_bytes(field_file)


def test_a_transparent_png_is_accepted(client, editor, shot, shot_url):
    buffer = io.BytesIO()
    Image.new("RGBA", (64, 48), (255, 0, 0, 128)).save(buffer, "PNG")
    client.force_login(editor)
    response = post_hero(client, shot_url, shot, upload("alpha.png", buffer.getvalue()))
    assert response.status_code == 302
    shot.refresh_from_db()
    image = stored_image(shot.hero_frame)
    assert (image.format, image.mode) == ("JPEG", "RGB")


def test_a_png_html_polyglot_is_stored_without_the_script(client, editor, shot, shot_url):
    polyglot = image_bytes("PNG") + b"<script>alert(1)</script>"
    client.force_login(editor)
    response = post_hero(client, shot_url, shot, upload("frame.png", polyglot, "image/png"))
    # Accepted, but only the decoded pixels survive the re-encode.
    assert response.status_code == 302
    shot.refresh_from_db()
    assert b"<script" not in stored_bytes(shot.hero_frame)
    assert b"<script" not in stored_bytes(shot.hero_thumbnail)


def test_the_uploaded_filename_never_reaches_storage(client, editor, shot, shot_url):
    client.force_login(editor)
    file = upload("../../etc/passwd.png", image_bytes("PNG"), "image/png")
    post_hero(client, shot_url, shot, file)
    shot.refresh_from_db()
    assert shot.hero_frame.name.startswith("images/")
    assert "passwd" not in shot.hero_frame.name


# --- hero frame: bad files --------------------------------------------------------------------
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_hero_frame_is_refused_under_the_field(client, editor, framed_shot, shot_url, case):
    make, message = BAD_FILES[case]
    client.force_login(editor)
    response = post_hero(client, shot_url, framed_shot, make())
    assert response.status_code == 422
    assert error_under(response.content.decode(), "hero_upload") == [message]


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_hero_frame_leaves_the_saved_shot_alone(client, editor, framed_shot, shot_url, case):
    before = Shot.objects.filter(pk=framed_shot.pk).values().get()
    client.force_login(editor)
    post_hero(
        client,
        shot_url,
        framed_shot,
        BAD_FILES[case][0](),
        subject="Typed subject",
        notes="Typed notes",
        pan=3,
    )
    assert Shot.objects.filter(pk=framed_shot.pk).values().get() == before
    assert default_storage.exists(framed_shot.hero_frame.name)
    assert default_storage.exists(framed_shot.hero_thumbnail.name)


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_hero_frame_echoes_the_typed_input(client, editor, framed_shot, shot_url, case):
    client.force_login(editor)
    response = post_hero(
        client,
        shot_url,
        framed_shot,
        BAD_FILES[case][0](),
        subject="Typed subject",
        notes="Typed notes",
        pan=3,
    )
    html = response.content.decode()
    assert 'value="Typed subject"' in html
    assert "Typed notes</textarea>" in html
    assert 'data-output-for="pan">3</output>' in html
    assert "Nothing was saved: please fix the fields marked below." in html


def test_a_bad_hero_frame_still_shows_the_saved_frame(client, editor, framed_shot, shot_url):
    client.force_login(editor)
    response = post_hero(client, shot_url, framed_shot, BAD_FILES["svg"][0]())
    html = response.content.decode()
    hero_url = reverse("projects:shot-image", args=[framed_shot.project_id, framed_shot.pk, "hero"])
    assert hero_url in html


def test_a_decompression_bomb_is_caught_before_decoding(
    client, editor, framed_shot, shot_url, monkeypatch
):
    decoded = []
    original_load = ImageFile.ImageFile.load

    def spy(self):
        decoded.append(self.size)
        return original_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    client.force_login(editor)
    response = post_hero(client, shot_url, framed_shot, upload("bomb.png", png_bomb()))
    assert response.status_code == 422
    assert decoded == []


def test_a_bomb_under_pillows_own_limit_is_caught_by_ours(
    client, editor, framed_shot, shot_url, settings, monkeypatch
):
    # Lower our cap far below Pillow's, so only our own dimension check can stop it.
    settings.IMAGE_MAX_PIXELS = 2_000_000
    decoded = []
    original_load = ImageFile.ImageFile.load
    monkeypatch.setattr(
        ImageFile.ImageFile, "load", lambda self: decoded.append(1) or original_load(self)
    )
    client.force_login(editor)
    response = post_hero(client, shot_url, framed_shot, upload("b.png", png_bomb(side=4000)))
    assert error_under(response.content.decode(), "hero_upload") == [
        "This image has too many pixels (the limit is 2 megapixels)."
    ]
    assert decoded == []


def test_over_the_pixel_cap_is_refused(client, editor, framed_shot, shot_url, settings):
    settings.IMAGE_MAX_PIXELS = 2_000_000
    client.force_login(editor)
    file = upload("big.png", image_bytes("PNG", size=(1500, 1500)))
    response = post_hero(client, shot_url, framed_shot, file)
    assert response.status_code == 422
    assert error_under(response.content.decode(), "hero_upload") == [
        "This image has too many pixels (the limit is 2 megapixels)."
    ]


def test_over_the_side_cap_is_refused(client, editor, framed_shot, shot_url, settings):
    settings.IMAGE_MAX_SIDE = 1000
    client.force_login(editor)
    file = upload("wide.png", image_bytes("PNG", size=(1001, 20)))
    response = post_hero(client, shot_url, framed_shot, file)
    assert response.status_code == 422
    assert error_under(response.content.decode(), "hero_upload") == [
        "Images may be at most 1000 pixels on a side."
    ]


def test_over_the_byte_size_is_refused(client, editor, framed_shot, shot_url, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1 * MB
    data = noisy_bytes("PNG", size=(700, 600))
    assert len(data) > MB
    client.force_login(editor)
    response = post_hero(client, shot_url, framed_shot, upload("heavy.png", data))
    assert response.status_code == 422
    assert error_under(response.content.decode(), "hero_upload") == [
        "This file is larger than 1 MB. Please upload a smaller image."
    ]
    framed_shot.refresh_from_db()
    assert default_storage.exists(framed_shot.hero_frame.name)


# --- reference images -------------------------------------------------------------------------
def post_reference(client, url, file, caption="Lighthouse at dusk"):
    return client.post(url, {"image": file, "caption": caption})


@pytest.mark.parametrize(("fmt", "extension"), GOOD_FORMATS)
def test_reference_is_stored_as_a_fresh_jpeg_with_a_small_thumbnail(
    client, editor, shot, reference_url, fmt, extension
):
    client.force_login(editor)
    file = upload(f"ref.{extension}", image_bytes(fmt, size=(900, 1200)))
    response = post_reference(client, reference_url, file)
    assert response.status_code == 302
    reference = shot.references.get()
    assert stored_image(reference.image).format == "JPEG"
    assert (reference.width, reference.height) == (900, 1200)
    thumbnail = stored_image(reference.thumbnail)
    assert thumbnail.format == "JPEG"
    assert thumbnail.size == (360, 480)
    assert reference.caption == "Lighthouse at dusk"


def test_reference_loses_exif_and_gps(client, editor, shot, reference_url):
    client.force_login(editor)
    post_reference(client, reference_url, upload("ref.jpg", jpeg_with_gps(), "image/jpeg"))
    reference = shot.references.get()
    assert dict(stored_image(reference.image).getexif()) == {}
    assert b"Spy Camera Co" not in stored_bytes(reference.image)


def test_reference_added_says_so(client, editor, shot, reference_url, png_upload):
    client.force_login(editor)
    response = post_reference(client, reference_url, png_upload(), caption="")
    assert "Reference image added." in client.get(response.url).content.decode()


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_reference_is_refused_under_the_field(
    client, editor, framed_shot, reference_url, case
):
    make, message = BAD_FILES[case]
    before = Shot.objects.filter(pk=framed_shot.pk).values().get()
    client.force_login(editor)
    response = post_reference(client, reference_url, make(), caption="Typed caption")
    assert response.status_code == 422
    html = response.content.decode()
    assert error_under(html, "image") == [message]
    assert 'value="Typed caption"' in html
    assert not ReferenceImage.objects.exists()
    assert Shot.objects.filter(pk=framed_shot.pk).values().get() == before


def test_a_reference_needs_a_file(client, editor, shot, reference_url):
    client.force_login(editor)
    response = client.post(reference_url, {"caption": "nothing attached"})
    assert response.status_code == 422
    assert error_under(response.content.decode(), "image") == ["This field is required."]


def test_a_fourth_reference_is_refused(client, editor, shot, reference_url, png_upload):
    for _ in range(3):
        reference_add(shot=shot, image=clean_uploaded_image(png_upload()))
    client.force_login(editor)
    response = post_reference(client, reference_url, png_upload())
    assert response.status_code == 422
    assert error_under(response.content.decode(), "image") == [
        "A shot can have at most 3 reference images."
    ]
    assert shot.references.count() == 3
