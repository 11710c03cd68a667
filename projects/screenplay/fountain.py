"""Fountain (https://fountain.io), read with screenplain's parser.

screenplain gets headings (forced with '.'), dual dialogue ('^'), parentheticals, transitions,
the title page and the boneyard right. Around it we add:

- a boneyard /* or a note [[ that is never closed is an error with its line, not silently
  swallowed text (screenplain would keep it as action);
- notes [[ ]] are removed before parsing, because screenplain removes them only within one
  paragraph: a note running over a blank line would otherwise come through as action.
"""

from __future__ import annotations

import io
import re

from screenplain.parsers import fountain as screenplain_fountain
from screenplain.richstring import parse_emphasis
from screenplain.types import Action, Dialog, DualDialog, Slug, Transition

from .script import Screenplay, ScreenplayError, ScriptBuilder

BONEYARD = re.compile(r"/\*.*?\*/", re.DOTALL)
# A note alone on its line(s) goes with its line ending, so the action around it stays one
# paragraph (as screenplain itself does inside a paragraph); any other note goes by itself.
NOTE_LINE = re.compile(r"^[ \t]*\[\[(?:(?!\]\]).)*\]\][ \t]*\n", re.DOTALL | re.MULTILINE)
NOTE = re.compile(r"\[\[.*?\]\]", re.DOTALL)


def line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def unclosed(text: str, opener: str, closer: str) -> int | None:
    """The line of the first `opener` with no `closer` after it, if any."""
    position = 0
    while (start := text.find(opener, position)) != -1:
        end = text.find(closer, start + len(opener))
        if end == -1:
            return line_of(text, start)
        position = end + len(closer)
    return None


def blanked(match: re.Match) -> str:
    # Same lines, no text: later checks still count lines of the file as the writer sees it.
    return re.sub(r"[^\n]", " ", match.group())


def check_closed(text: str) -> None:
    line = unclosed(text, "/*", "*/")
    if line:
        raise ScreenplayError("a boneyard opened with /* is never closed with */.", line=line)
    line = unclosed(BONEYARD.sub(blanked, text), "[[", "]]")
    if line:
        raise ScreenplayError("a note opened with [[ is never closed with ]].", line=line)


def plain(rich) -> str:
    return str(rich).strip()


def parse_fountain(text: str) -> Screenplay:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_closed(text)
    text = BONEYARD.sub("", text)
    text = NOTE.sub("", NOTE_LINE.sub("", text))
    parsed = screenplain_fountain.parse(io.StringIO(text))

    builder = ScriptBuilder("Fountain")
    for paragraph in parsed.paragraphs:
        if isinstance(paragraph, Slug):
            builder.heading(plain(paragraph.line), paragraph.synopsis or "")
        elif isinstance(paragraph, Action):
            builder.action("\n".join(plain(line) for line in paragraph.lines))
        elif isinstance(paragraph, Dialog):
            builder.speech(*speech(paragraph))
        elif isinstance(paragraph, DualDialog):
            builder.dual([speech(paragraph.left), speech(paragraph.right)])
        elif isinstance(paragraph, Transition):
            builder.transition(plain(paragraph.line))
        # Sections (#), synopses of sections and page breaks are the writer's structure only.
    title = " ".join(plain(parse_emphasis(line)) for line in parsed.title_page.get("Title", []))
    return builder.finish(title)


def speech(dialog: Dialog) -> tuple[str, list[tuple[bool, str]]]:
    return plain(dialog.character), [(bool(paren), plain(text)) for paren, text in dialog.blocks]
