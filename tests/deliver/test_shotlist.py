"""The shot list: every shot field as a spreadsheet-safe CSV, and a printed table."""

import csv
import io
import subprocess

import pytest
from django.utils import timezone

from projects.deliver.shotlist import PRINTED_COLUMNS, shot_list_csv, shot_list_pdf
from projects.selectors.boards import SHOT_LIST_HEADER, shot_list_rows
from projects.services.decisions import shot_approve
from tests.factories import ShotFactory, circled_video_take

DIALOGUE = "MARA (ja): 灯台に火を灯して。\nJON (fr): Déjà vu — ça va, Zoë?"


def parse(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def pdf_text(pdf: bytes, tmp_path, *pages: int) -> str:
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    out = subprocess.run(
        ["pdftotext", "-layout", *span, str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def pdf_info(pdf: bytes, tmp_path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)


def column(header, rows, name) -> list[str]:
    at = header.index(name)
    return [row[at] for row in rows]


def test_the_csv_opens_in_excel_and_reads_back_the_same():
    header = ["Shot", "Action", "Dialogue"]
    rows = [["1A", "climbs, slowly", 'says "now"'], ["1B", "line one\nline two", ""]]
    data = shot_list_csv(header, rows)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8, not the locale's page
    assert data.count(b"\r\n") == 3  # CRLF rows; the line break inside 1B's cell is kept
    assert b'"line one\nline two"' in data
    assert parse(data) == [header, *rows]


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://203.0.113.5/?x","click")', "+1", "-2", "@x", "\tx", "\r=1+1"],
)
def test_a_cell_a_spreadsheet_would_run_is_made_text(cell):
    [_, [safe]] = parse(shot_list_csv(["Notes"], [[cell]]))
    assert safe == "'" + cell


@pytest.mark.parametrize("cell", ["a=b", "3A", "x-1", "", "’quote"])
def test_plain_cells_are_left_alone(cell):
    [_, [kept]] = parse(shot_list_csv(["Notes"], [[cell]]))
    assert kept == cell


def test_the_shot_list_has_every_field_of_the_shot(project, scene, owner):
    shot = ShotFactory(
        scene=scene,
        label="7C",
        order=3,
        subject="The keeper",
        action='=HYPERLINK("http://203.0.113.5")',
        context="A lighthouse",
        style="Chiaroscuro",
        shot_size="cu",
        camera_angle="low",
        lens_mm=85,
        duration_seconds=8,
        aspect_ratio="9:16",
        resolution="1080p",
        dialogue=DIALOGUE,
        dialogue_language="ja",
        beats="2s: she turns",
        audio=True,
        sound_effects="gulls",
        ambience="surf",
        negative_prompt="text",
        seed=42,
        motion_preset="dolly_in",
        pan=-3,
        dolly=5,
        camera_notes="shakes",
        notes="Keep it slow",
    )
    circled_video_take(shot, 2)
    shot_approve(shot=shot, user=owner, note="Final")

    header, [row] = shot_list_rows(project)
    got = {name: str(value) for name, value in zip(header, row, strict=True)}
    assert header == SHOT_LIST_HEADER
    assert got == {
        **got,
        "Scene": str(scene.number),
        "Scene title": scene.title,
        "Shot": "7C",
        "Order": "3",
        "Status": "Approved",
        "Subject": "The keeper",
        "Context": "A lighthouse",
        "Style": "Chiaroscuro",
        "Shot size": "Close-up",
        "Angle": "Low angle",
        "Lens (mm)": "85",
        "Duration (s)": "8",
        "Aspect": "9:16",
        "Resolution": "1080p",
        "Dialogue": DIALOGUE,
        "Language": "Japanese",
        "Beats": "2s: she turns",
        "Audio": "on",
        "Sound effects": "gulls",
        "Ambience": "surf",
        "Negative prompt": "text",
        "Seed": "42",
        "Named move": "Dolly In",
        "Pan": "-3",
        "Dolly": "5",
        "Tilt": "0",
        "Camera move": "Dolly In and dolly in +5, pan left −3",
        "Camera notes": "shakes",
        "Notes": "Keep it slow",
        "Circled take": "2",
        "Approved by": owner.username,
        "Approval note": "Final",
    }
    assert got["Approved at"] == timezone.localtime(shot.approved_at).strftime("%Y-%m-%d %H:%M")
    assert got["Model"]  # the model's name, whatever the default is

    # Through the CSV: the dialogue in Japanese and French comes back as typed, the formula
    # comes back as text.
    [_, back] = parse(shot_list_csv(header, [row]))
    read = dict(zip(header, back, strict=True))
    assert read["Dialogue"] == DIALOGUE
    assert read["Action"] == '\'=HYPERLINK("http://203.0.113.5")'
    assert read["Pan"] == "-3"  # a number stays a number; typed text "-2" does not


def test_every_printed_column_is_in_the_shot_list():
    assert set(PRINTED_COLUMNS) <= set(SHOT_LIST_HEADER)
    assert 10 <= len(PRINTED_COLUMNS) <= 14


@pytest.mark.parametrize("count", [1, 5])
def test_the_shot_list_takes_one_query(project, scene, count, django_assert_num_queries):
    for _ in range(count):
        ShotFactory(scene=scene)
    with django_assert_num_queries(1):
        _header, rows = shot_list_rows(project, scene)
    assert len(rows) == count


def test_the_printed_shot_list(project, scene, tmp_path):
    for number in range(60):
        ShotFactory(scene=scene, label=f"L{number}", action=f"action of shot {number}")
    header, rows = shot_list_rows(project, scene)
    pdf = shot_list_pdf(header, rows, project_name=project.name, scene_title=scene.heading)
    width, height = (float(v) for v in pdf_info(pdf, tmp_path)["Page size"].split()[:3:2])
    assert width > height  # landscape
    text = pdf_text(pdf, tmp_path)
    for number in range(60):
        assert f"L{number} " in text and f"action of shot {number}" in text
    assert "page 1 of" in text and project.name in text and scene.title in text
    # The header row repeats at the top of the next page.
    second = pdf_text(pdf, tmp_path, 2)
    assert "Action" in second and "Dialogue" in second and project.name in second


def test_long_text_wraps_and_typed_html_stays_text(tmp_path):
    header = ["Shot", "Action"]
    long_action = " ".join(f"word{number}" for number in range(60))
    pdf = shot_list_pdf(
        header,
        [["1A", long_action], ["1B", '<img src="http://203.0.113.5/x.png">']],
        project_name="Film",
    )
    text = pdf_text(pdf, tmp_path)
    assert "word0" in text and "word59" in text
    assert '<img src="http://203.0.113.5/x.png">' in text


def test_an_empty_shot_list_prints_as_such(tmp_path):
    pdf = shot_list_pdf(SHOT_LIST_HEADER, [], project_name="Film")
    assert "No shots yet." in pdf_text(pdf, tmp_path)
