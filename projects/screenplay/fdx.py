"""Final Draft (.fdx): XML, read with defusedxml so a hostile file cannot expand entities or
reach out for external ones.

<FinalDraft><Content> holds <Paragraph Type="Scene Heading" | "Action" | "Character" |
"Parenthetical" | "Dialogue" | "Transition" | ...> in script order, each with its text in one
or more <Text> runs (a run per style change, so the runs are joined). Two characters speaking
at once are a <DualDialogue> of such paragraphs inside a paragraph.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from .script import Screenplay, ScreenplayError, ScriptBuilder

# Final Draft's "Shot" paragraphs (ANGLE ON ...) and "General" text are picture, like action.
PICTURE = {"Action", "Shot", "General"}
SPEECH = {"Parenthetical", "Dialogue"}

Speech = tuple[str, list[tuple[bool, str]]]


def parse_fdx(data: bytes) -> Screenplay:
    root = read_xml(data)
    if root.tag != "FinalDraft":
        raise ScreenplayError(
            f"this is not a Final Draft file: it starts with <{root.tag}>, not <FinalDraft>.",
            line=1,
        )
    content = root.find("Content")
    if content is None:
        raise ScreenplayError("this Final Draft file has no <Content> (no script in it).")
    builder = ScriptBuilder("Final Draft")
    # A speech is a Character paragraph and the Parenthetical/Dialogue ones after it: held
    # until something else comes, then handed over whole.
    speech: Speech | None = None
    for paragraph in content.findall("Paragraph"):
        kind, text = paragraph.get("Type", ""), text_of(paragraph)
        if kind in SPEECH and speech is not None:
            speech[1].append((kind == "Parenthetical", text))
            continue
        if speech is not None:
            builder.speech(*speech)
            speech = None
        dual = paragraph.find("DualDialogue")
        if dual is not None:
            builder.dual(speeches(dual.findall("Paragraph")))
        elif kind == "Character":
            speech = (text, [])
        elif kind == "Scene Heading":
            builder.heading(text)
        elif kind in PICTURE:
            builder.action(text)
        elif kind == "Transition":
            builder.transition(text)
    if speech is not None:
        builder.speech(*speech)
    return builder.finish(title_of(root))


def read_xml(data: bytes) -> Element:
    try:
        return ElementTree.fromstring(data)
    except ParseError as error:
        line, column = error.position
        raise ScreenplayError(
            f"the file is not readable XML ({ErrorString(error.code)}, column {column + 1}).",
            line=line,
        ) from None
    except DefusedXmlException:
        raise ScreenplayError(
            "the file declares XML entities, which are refused for safety; "
            "export it again from Final Draft."
        ) from None


def speeches(paragraphs: list[Element]) -> list[Speech]:
    result: list[Speech] = []
    for paragraph in paragraphs:
        kind, text = paragraph.get("Type", ""), text_of(paragraph)
        if kind == "Character":
            result.append((text, []))
        elif kind in SPEECH and result:
            result[-1][1].append((kind == "Parenthetical", text))
    return result


def text_of(paragraph: Element) -> str:
    return "".join(run.text or "" for run in paragraph.findall("Text")).strip()


def title_of(root: Element) -> str:
    page = root.find("TitlePage/Content")
    if page is None:
        return ""
    for paragraph in page.findall("Paragraph"):
        text = text_of(paragraph)
        if text:
            return text
    return ""
