"""`manage.py export_project` and `render_animatic`: the services behind the exports page, for
studios that script their hand-offs. The demo project exports in every format."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from projects.demo import create_demo

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(db):
    _, project, _ = create_demo(username="demo", password="shotstudio")
    return project


def export(project, fmt: str, out, *more: str) -> str:
    """Run the command as a script would; what it printed."""
    stdout = io.StringIO()
    call_command(
        "export_project", str(project.pk), "--format", fmt, "--out", str(out), *more, stdout=stdout
    )
    return stdout.getvalue()


@pytest.mark.parametrize(
    "fmt, start",
    [
        ("otio", b"{"),
        ("edl", b"TITLE:"),
        ("fcpxml", b"<?xml"),
        ("pdf", b"%PDF"),
        ("csv", "\ufeff".encode()),
        ("shotlist-pdf", b"%PDF"),
        ("package", b"PK"),
    ],
)
def test_the_demo_project_exports_in_every_format(demo, tmp_path, fmt, start):
    out = tmp_path / f"demo.{fmt}"
    said = export(demo, fmt, out)
    assert out.read_bytes().startswith(start)
    assert f"Wrote {out}" in said


def test_a_scene_alone_holds_only_its_shots(demo, tmp_path):
    out = tmp_path / "scene2.otio"
    export(demo, "otio", out, "--scene", "2")
    clips = json.loads(out.read_text())["tracks"]["children"][0]["children"]
    assert clips and all(clip["name"].startswith("2") for clip in clips)


def test_the_package_holds_every_hero_frame_of_the_demo(demo, tmp_path):
    out = tmp_path / "package.zip"
    export(demo, "package", out)
    names = zipfile.ZipFile(out).namelist()
    media = [name for name in names if name.startswith("media/")]
    assert len(media) == demo.shots.count()  # the demo's shots all have hero frames


@pytest.mark.parametrize(
    "arguments, reason",
    [
        (["999999", "--format", "otio"], "No project with id 999999."),
        (["{project}", "--format", "otio", "--scene", "42"], "has no scene number 42."),
        (["{project}", "--format", "otio", "--out", "no/such/folder/x.otio"], "No folder"),
    ],
)
def test_bad_input_is_one_line_that_says_why(demo, tmp_path, arguments, reason):
    arguments = [a.replace("{project}", str(demo.pk)) for a in arguments]
    if "--out" not in arguments:
        arguments += ["--out", str(tmp_path / "x.otio")]
    with pytest.raises(CommandError) as error:
        call_command("export_project", *arguments, stdout=io.StringIO())
    message = str(error.value)
    assert reason in message and "\n" not in message


def test_render_animatic_refuses_an_unknown_project_in_one_line(db, tmp_path):
    with pytest.raises(CommandError, match=r"^No project with id 12345\.$"):
        call_command("render_animatic", "12345", "--out", str(tmp_path / "a.mp4"))


def test_an_unknown_format_exits_non_zero_before_anything_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "export_project", "1", "--format", "xls", "--out", "x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DEBUG": "1"},
        timeout=120,
    )
    assert result.returncode != 0
    assert "invalid choice: 'xls'" in result.stderr
