"""python manage.py import_screenplay PROJECT_ID PATH, run as from a shell (in this process,
so it sees the test database): exit status, what it prints, what it saves."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import ManagementUtility
from django.db import connections

from projects.models import Shot

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def keep_the_test_database_open(monkeypatch):
    # A command run from the shell closes every connection when it ends; here that connection
    # holds the test's transaction, which must outlive the command.
    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(*args) -> int:
    try:
        ManagementUtility(["manage.py", "import_screenplay", *map(str, args)]).execute()
    except SystemExit as exit:
        return exit.code
    return 0


def test_it_imports_and_says_what_it_made(project, capsys):
    status = run(project.pk, FIXTURES / "lighthouse.fountain")

    out = capsys.readouterr().out
    assert status == 0
    assert "Scene 2: INT. LAMP ROOM - CONTINUOUS (1 shot)" in out
    assert "Scene 4: EXT. HARBOUR - DAWN (2 shots)" in out
    assert f"Imported 4 scene(s) and 5 draft shot(s) into {project.name}" in out
    assert Shot.objects.filter(project=project).count() == 5


def test_running_it_again_adds_nothing(project, capsys):
    run(project.pk, FIXTURES / "lighthouse.fdx")
    capsys.readouterr()
    assert run(project.pk, FIXTURES / "lighthouse.fdx") == 0
    assert "Imported 0 scene(s) and 0 draft shot(s)" in capsys.readouterr().out
    assert project.scenes.count() == 3


def test_the_dialogue_language_can_be_given(project):
    assert run(project.pk, FIXTURES / "phare.fountain", "--dialogue-language", "fr") == 0
    assert set(Shot.objects.values_list("dialogue_language", flat=True)) == {"fr"}


@pytest.mark.parametrize(
    "args, reason",
    [
        (lambda p: (p.pk + 1000, FIXTURES / "lighthouse.fountain"), "No project with id"),
        (lambda p: (p.pk, FIXTURES / "missing.fountain"), "No file at"),
        (
            lambda p: (p.pk, FIXTURES / "broken.fdx"),
            "broken.fdx: Line 9: The file is not readable XML (mismatched tag, column 7).",
        ),
        (lambda p: (p.pk, FIXTURES / "empty.fountain"), "empty.fountain: This file is empty."),
    ],
    ids=["unknown project", "missing file", "parse error", "empty file"],
)
def test_bad_input_exits_non_zero_with_one_line(project, capsys, args, reason):
    status = run(*args(project))

    err = capsys.readouterr().err
    assert status != 0
    assert len(err.strip().splitlines()) == 1
    assert reason in err
    assert project.scenes.count() == 0
