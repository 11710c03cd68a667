"""A screenplay as the studio reads it: scenes of draft shots, from either file format.

Both parsers (fountain.py, fdx.py) feed the same `ScriptBuilder` one paragraph at a time, so
the rules that turn a script into shots live here once:

- a scene heading starts a scene (text before the first heading, like FADE IN:, is skipped);
- each action paragraph becomes a draft shot;
- dialogue belongs to the shot it follows; dialogue before any action gets a shot of its own;
- a transition (CUT TO:) is noted on the shot before it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

NO_HEADINGS = "No scene headings found (a heading starts with INT. or EXT., or a '.' to force one)"

# INT., EXT., INT./EXT., I/E, EST. — the form a heading starts with, then the rest of it.
HEADING_PREFIX = re.compile(
    r"^\s*(?P<ie>INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|I\s*/\s*E|INT|EXT|EST)\.?(?=[\s.]|$)[\s.]*"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
# Location and time of day are parted by a dash with spaces around it, the last one wins:
# "CAR - MOVING - DAY" is the car, moving, by day.
TIME_SEPARATOR = re.compile(r"\s+[-–—]+\s+")
# Character extensions: (V.O.), (O.S.), (CONT'D). CONT'D says nothing a shot needs.
EXTENSION = re.compile(r"\s*\(([^)]*)\)")
CONTINUED = re.compile(r"^\s*(CONT['’]?D|CONT\.?|MORE|SUITE)\s*$", re.IGNORECASE)
# What Shot.dialogue's "SPEAKER: words" reading cannot have in a speaker (selectors/shot_spec).
SPEAKER_UNSAFE = re.compile(r"[:()\[\]]")
SPEAKER_MAX = 40


class ScreenplayError(Exception):
    """A file the studio cannot read, in words for the writer, with the line when known."""

    def __init__(self, message: str, *, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        # Parsers word their messages to follow "Line 9: "; either way it reads as a sentence.
        message = self.message[:1].upper() + self.message[1:]
        return f"Line {self.line}: {message}" if self.line else message


class DialogueLine(NamedTuple):
    speaker: str
    parenthetical: str
    words: str

    @property
    def text(self) -> str:
        """The line as Shot.dialogue holds it: "MARA: (whispering) Not tonight."."""
        spoken = " ".join(part for part in (self.parenthetical, self.words) if part)
        return f"{self.speaker}: {spoken}" if self.speaker else spoken


@dataclass
class DraftShot:
    action: str = ""
    dialogue_lines: list[DialogueLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def dialogue(self) -> str:
        return "\n".join(line.text for line in self.dialogue_lines)

    @property
    def speakers(self) -> list[str]:
        return list(dict.fromkeys(line.speaker for line in self.dialogue_lines if line.speaker))


@dataclass
class ParsedScene:
    heading: str
    int_ext: str = ""
    location: str = ""
    time_of_day: str = ""
    synopsis: str = ""
    shots: list[DraftShot] = field(default_factory=list)


@dataclass
class Screenplay:
    title: str
    scenes: list[ParsedScene]
    kind: str = "Fountain"  # or "Final Draft"

    @property
    def shot_count(self) -> int:
        return sum(len(scene.shots) for scene in self.scenes)

    def to_dict(self) -> dict:
        """Plain data (JSON-safe), to keep a preview between two requests."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Screenplay:
        scenes = [
            ParsedScene(
                **{**scene, "shots": [shot_from_dict(shot) for shot in scene.get("shots", [])]}
            )
            for scene in data.get("scenes", [])
        ]
        return cls(title=data.get("title", ""), scenes=scenes, kind=data.get("kind", "Fountain"))


def shot_from_dict(data: dict) -> DraftShot:
    return DraftShot(
        action=data.get("action", ""),
        dialogue_lines=[DialogueLine(*line) for line in data.get("dialogue_lines", [])],
        notes=list(data.get("notes", [])),
    )


def one_line(text: str) -> str:
    return " ".join(text.split())


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters at a word boundary, with an ellipsis saying so."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


def split_heading(heading: str) -> tuple[str, str, str]:
    """ "INT./EXT. CAR - MOVING - DAY" -> ("INT/EXT", "CAR - MOVING", "DAY")."""
    heading = one_line(heading)
    match = HEADING_PREFIX.match(heading)
    int_ext, rest = "", heading
    if match:
        int_ext = re.sub(r"[\s.]", "", match.group("ie")).upper().replace("I/E", "INT/EXT")
        rest = match.group("rest")
    parts = TIME_SEPARATOR.split(rest)
    if len(parts) > 1 and parts[-1].strip():
        return int_ext, " - ".join(parts[:-1]).strip(" .-"), parts[-1].strip(" .")
    return int_ext, rest.strip(" .-"), ""


def speaker_of(character: str) -> tuple[str, str]:
    """ "MARA (V.O.) (CONT'D)" -> ("MARA", "(V.O.)"): the name Shot.dialogue can read, and the
    extensions worth keeping, which go in front of the words like a parenthetical."""
    kept = [f"({ext.strip()})" for ext in EXTENSION.findall(character) if not CONTINUED.match(ext)]
    name = SPEAKER_UNSAFE.sub("", EXTENSION.sub("", character)).strip().lstrip("@")
    return one_line(name)[:SPEAKER_MAX].strip(), " ".join(kept)


def dialogue_lines(character: str, blocks: list[tuple[bool, str]]) -> list[DialogueLine]:
    """One speech (the character cue, then (is_parenthetical, text) blocks in order) as lines:
    the words between two parentheticals are one line, led by the parenthetical before them.
    A parenthetical over two script lines, "(whispering," + "softly)", is one."""
    speaker, extension = speaker_of(character)
    lines: list[DialogueLine] = []
    parentheticals: list[str] = []
    words: list[str] = []

    def flush() -> None:
        if not (words or parentheticals):
            return
        said = wrapped(" ".join(parentheticals)) if parentheticals else ""
        lead = " ".join(part for part in (extension, said) if part)
        lines.append(DialogueLine(speaker, lead, " ".join(words)))

    for is_parenthetical, text in blocks:
        text = one_line(text)
        if not text:
            continue
        if is_parenthetical and words:
            flush()
            parentheticals, words = [], []
        (parentheticals if is_parenthetical else words).append(text)
    flush()
    return lines


def wrapped(text: str) -> str:
    text = text.strip()
    if not text.startswith("("):
        text = "(" + text
    if not text.endswith(")"):
        text = text + ")"
    return text


class ScriptBuilder:
    """Collects paragraphs in script order into scenes and draft shots (see the module doc)."""

    def __init__(self, kind: str):
        self.kind = kind
        self.scenes: list[ParsedScene] = []

    @property
    def scene(self) -> ParsedScene | None:
        return self.scenes[-1] if self.scenes else None

    def heading(self, text: str, synopsis: str = "") -> None:
        heading = one_line(text)
        if not heading:
            return
        int_ext, location, time_of_day = split_heading(heading)
        self.scenes.append(
            ParsedScene(
                heading=heading,
                int_ext=int_ext,
                location=location or heading,
                time_of_day=time_of_day,
                synopsis=one_line(synopsis),
            )
        )

    def action(self, text: str) -> None:
        text = "\n".join(line.rstrip() for line in text.strip("\n").splitlines()).strip()
        if self.scene is not None and text:
            self.scene.shots.append(DraftShot(action=text))

    def _shot_for_dialogue(self) -> DraftShot | None:
        if self.scene is None:
            return None
        if not self.scene.shots:
            self.scene.shots.append(DraftShot())
        return self.scene.shots[-1]

    def speech(self, character: str, blocks: list[tuple[bool, str]]) -> None:
        shot = self._shot_for_dialogue()
        if shot is not None:
            shot.dialogue_lines.extend(dialogue_lines(character, blocks))

    def dual(self, speeches: list[tuple[str, list[tuple[bool, str]]]]) -> None:
        """Two (or more) characters speaking at once: every line kept, in order, and a note."""
        shot = self._shot_for_dialogue()
        if shot is None:
            return
        names = []
        for character, blocks in speeches:
            shot.dialogue_lines.extend(dialogue_lines(character, blocks))
            names.append(speaker_of(character)[0] or "someone")
        if len(names) > 1:
            shot.notes.append(
                f"Dual dialogue: {', '.join(names[:-1])} and {names[-1]} speak at the same time."
            )

    def transition(self, text: str) -> None:
        text = one_line(text)
        if self.scene is not None and self.scene.shots and text:
            self.scene.shots[-1].notes.append(f"Transition: {text}")

    def finish(self, title: str) -> Screenplay:
        if not self.scenes:
            raise ScreenplayError(NO_HEADINGS)
        return Screenplay(title=one_line(title), scenes=self.scenes, kind=self.kind)
