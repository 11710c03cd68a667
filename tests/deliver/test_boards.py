"""Boards on paper: the storyboard PDF, rendered for real (WeasyPrint), read back with poppler
(pdfinfo, pdftoppm, pdftotext) and looked at with Pillow."""

import logging
import re
import subprocess

import numpy
import pytest
from django.core.files.storage import default_storage
from PIL import Image

from projects.deliver.boards import MediaOnlyFetcher, Panel, boards_pdf, html_to_pdf, media_url
from projects.deliver.errors import DeliveryError
from projects.images import clean_uploaded_image
from projects.models import Take
from projects.selectors.boards import board_panels
from projects.services.decisions import shot_approve
from projects.services.shot_media import shot_set_hero_frame
from tests.factories import SceneFactory, ShotFactory, circled_video_take, image_bytes

ORANGE = (200, 120, 40)  # the hero frames
BLUE = (30, 90, 220)  # a circled take's poster
DPI = 40
HOSTILE = '<img src="http://203.0.113.5/x.png">'


def read_storage(name: str) -> bytes:
    with default_storage.open(name) as handle:
        return handle.read()


def pdf_pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))[6:])


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def pdf_images(pdf: bytes, tmp_path) -> list[Image.Image]:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-png", str(path), str(tmp_path / "page")], check=True
    )
    return [Image.open(png).convert("RGB") for png in sorted(tmp_path.glob("page-*.png"))]


def px(mm: float) -> int:
    return round(mm * DPI / 25.4)


def close_to(colour, target, slack=40) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(colour, target, strict=True))


def count_colour(image: Image.Image, box_mm: tuple[float, float, float, float], target) -> int:
    left, top, right, bottom = (px(v) for v in box_mm)
    region = numpy.asarray(image.crop((left, top, right, bottom)), dtype=int)
    return int((numpy.abs(region - numpy.array(target)) <= 40).all(axis=-1).sum())


def with_frame(shot, png_upload, colour=ORANGE, size=(64, 48)):
    shot_set_hero_frame(shot=shot, image=clean_uploaded_image(png_upload(color=colour, size=size)))
    return shot


def circled_take(shot, number=1, poster_colour=BLUE) -> Take:
    return circled_video_take(shot, number, poster=image_bytes("PNG", color=poster_colour))


def board(project, scene=None, **options) -> bytes:
    options.setdefault("per_page", 3)
    return boards_pdf(
        board_panels(project, scene),
        project_name=project.name,
        scene_title=scene.heading if scene else "",
        read_media=read_storage,
        **options,
    )


@pytest.fixture
def seven_shots(project, scene):
    return [ShotFactory(scene=scene, label=f"1{letter}") for letter in "ABCDEFG"]


@pytest.mark.parametrize(("per_page", "pages"), [(1, 7), (3, 3), (6, 2)])
def test_a_page_holds_exactly_the_panels_asked_for(
    project, scene, seven_shots, per_page, pages, tmp_path
):
    pdf = board(project, scene, per_page=per_page)
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf, tmp_path) == pages


def test_each_scene_starts_a_new_page(project, tmp_path):
    first, second = SceneFactory(project=project), SceneFactory(project=project)
    for each in (first, first, second, second):
        ShotFactory(scene=each)
    # Four panels would fit two pages of three; the second scene starts its own page.
    assert pdf_pages(board(project, per_page=3), tmp_path) == 2
    assert pdf_pages(board(project, per_page=6), tmp_path) == 2


def test_a_panel_prints_its_words(project, scene, tmp_path):
    ShotFactory(
        scene=scene,
        label="3A",
        subject="The keeper",
        action="climbs the spiral stairs",
        dialogue="MARA: Light it now.",
        dolly=5,
        pan=-3,
        duration_seconds=6,
        notes="Hold on the lamp",
    )
    ShotFactory(scene=scene, label="3B", action="the lamp flares", motion_preset="dolly_in")
    text = pdf_text(board(project, scene), tmp_path)
    for words in (
        project.name,
        scene.title,
        "3A",
        "3B",
        "climbs the spiral stairs",
        "the lamp flares",
        "MARA: Light it now.",
        "dolly in +5, pan left",
        "Dolly In",
        "6 s",
        "Hold on the lamp",
        "Not circled",
        "page 1 of 1",
    ):
        assert words in text, words


def test_approval_state_in_words(project, scene, owner, png_upload, tmp_path):
    approved, circled, _plain = (ShotFactory(scene=scene, label=label) for label in "XYZ")
    circled_take(approved, number=2)
    shot_approve(shot=approved, user=owner)
    circled_take(circled, number=4)
    panels = {panel.label: panel for panel in board_panels(project, scene)}
    assert panels["X"].approval == f"Approved by {owner.username} · take 2"
    assert panels["Y"].approval == "Circled: take 4"
    assert panels["Z"].approval == "Not circled"
    text = pdf_text(board(project, scene), tmp_path)
    assert f"Approved by {owner.username}" in text
    assert "Circled: take 4" in text


def test_the_frame_prints_where_given_and_an_empty_box_where_not(
    project, scene, png_upload, tmp_path
):
    with_frame(ShotFactory(scene=scene, label="1A"), png_upload)
    ShotFactory(scene=scene, label="1B")
    pdf = board(project, scene, per_page=3)
    [page] = pdf_images(pdf, tmp_path)
    # Rows of 57 mm under a 22 mm header, frames on the left (board.html).
    first_row, second_row = (12, 22, 110, 79), (12, 79, 110, 136)
    assert count_colour(page, first_row, ORANGE) > 400
    assert count_colour(page, second_row, ORANGE) == 0
    assert "No frame yet" in pdf_text(pdf, tmp_path)


def test_the_circled_takes_poster_wins_over_the_hero_frame(project, scene, png_upload, tmp_path):
    shot = with_frame(ShotFactory(scene=scene), png_upload)
    take = circled_take(shot, number=3)
    [panel] = board_panels(project, scene)
    assert panel.image == take.poster.name
    [page] = pdf_images(board(project, scene, per_page=3), tmp_path)
    assert count_colour(page, (12, 22, 110, 79), BLUE) > 400
    assert count_colour(page, (12, 22, 110, 79), ORANGE) == 0


def test_a_frame_prints_at_the_shots_aspect_ratio(project, scene, png_upload, tmp_path):
    with_frame(ShotFactory(scene=scene, aspect_ratio="9:16"), png_upload, size=(90, 160))
    [page] = pdf_images(board(project, scene, per_page=1), tmp_path)
    left, top, right, bottom = (px(v) for v in (12, 22, 285, 140))
    orange = [
        (x, y)
        for y in range(top, bottom)
        for x in range(left, right)
        if close_to(page.getpixel((x, y)), ORANGE)
    ]
    xs, ys = [x for x, _ in orange], [y for _, y in orange]
    width, height = max(xs) - min(xs) + 1, max(ys) - min(ys) + 1
    assert height / width == pytest.approx(16 / 9, rel=0.1)


def test_typed_html_prints_as_text_and_fetches_nothing(
    project, scene, png_upload, tmp_path, caplog
):
    shot = with_frame(
        ShotFactory(scene=scene, label="4A", action=f"she looks {HOSTILE}"), png_upload
    )
    read = []

    def read_media(name):
        read.append(name)
        return read_storage(name)

    with caplog.at_level(logging.DEBUG, logger="projects.deliver"):
        pdf = boards_pdf(
            board_panels(project, scene), project_name=project.name, read_media=read_media
        )
    assert HOSTILE in pdf_text(pdf, tmp_path)
    assert read == [shot.hero_frame.name]
    asked = [record.args[0] for record in caplog.records if record.msg.startswith("Printing asked")]
    assert asked == [media_url(shot.hero_frame.name)]
    assert "203.0.113.5" not in caplog.text


@pytest.mark.parametrize(
    "url", ["http://203.0.113.5/x.png", "file:///etc/hostname", "studio-media:images/other.png"]
)
def test_the_fetcher_refuses_everything_but_the_boards_own_media(url, caplog):
    fetcher = MediaOnlyFetcher({media_url("images/a.png"): (image_bytes("PNG"), "image/png")})
    html_to_pdf(f'<img src="{url}"><img src="studio-media:images/a.png">', fetcher)
    assert fetcher.asked == [url, "studio-media:images/a.png"]
    assert f"Refused to fetch {url!r}" in caplog.text


def test_a_frame_that_cannot_be_read_prints_as_missing(project, scene, png_upload, tmp_path):
    with_frame(ShotFactory(scene=scene), png_upload)

    def gone(name):
        raise FileNotFoundError(name)

    pdf = boards_pdf(board_panels(project, scene), project_name=project.name, read_media=gone)
    assert "Frame missing" in pdf_text(pdf, tmp_path)


def test_only_one_three_or_six_a_page():
    panel = Panel(shot_id=1, label="1A", scene_number=1, scene_title="Dawn")
    with pytest.raises(
        DeliveryError, match=re.escape("Boards print 1, 3, 6 panels a page, not 4.")
    ):
        boards_pdf([panel], project_name="Film", per_page=4, read_media=read_storage)


def test_no_shots_no_boards():
    with pytest.raises(DeliveryError, match="no shots to print"):
        boards_pdf([], project_name="Film", read_media=read_storage)


@pytest.mark.parametrize("count", [1, 6])
def test_panels_take_one_query(project, scene, owner, png_upload, count, django_assert_num_queries):
    for _ in range(count):
        shot = with_frame(ShotFactory(scene=scene), png_upload)
        circled_take(shot)
        shot_approve(shot=shot, user=owner)
    with django_assert_num_queries(1):
        panels = board_panels(project)
    assert len(panels) == count
    assert all(panel.approval.startswith("Approved by") for panel in panels)


def test_panels_come_in_board_order(project):
    late, early = SceneFactory(project=project, order=2), SceneFactory(project=project, order=1)
    ShotFactory(scene=late, label="2A", order=1)
    ShotFactory(scene=early, label="1B", order=2)
    ShotFactory(scene=early, label="1A", order=1)
    assert [panel.label for panel in board_panels(project)] == ["1A", "1B", "2A"]
    assert [panel.label for panel in board_panels(project, late)] == ["2A"]


def test_printing_boards_leaves_truncated_uploads_refused():
    """WeasyPrint, once imported, would let Pillow load truncated images in every request."""
    import weasyprint.images  # noqa: F401 (importing it is what is tested)
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    whole = image_bytes("PNG", size=(400, 300))
    truncated = SimpleUploadedFile("cut.png", whole[: len(whole) // 2], content_type="image/png")
    with pytest.raises(ValidationError):
        clean_uploaded_image(truncated)
