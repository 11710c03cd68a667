"""Reading Fountain and Final Draft files into scenes and draft shots (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from projects.screenplay.files import MAX_BYTES, read_screenplay
from projects.screenplay.fountain import parse_fountain
from projects.screenplay.script import (
    NO_HEADINGS,
    DialogueLine,
    Screenplay,
    ScreenplayError,
    clip,
    split_heading,
)
from projects.selectors.shot_spec import parse_dialogue

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> Screenplay:
    return read_screenplay(name, (FIXTURES / name).read_bytes())


def every_text(screenplay: Screenplay) -> str:
    parts = []
    for scene in screenplay.scenes:
        parts.append(scene.heading)
        for shot in scene.shots:
            parts += [shot.action, shot.dialogue, *shot.notes]
    return "\n".join(parts)


# --- Fountain -------------------------------------------------------------------------------
def test_the_title_page_gives_the_title_and_is_not_a_scene():
    screenplay = read("lighthouse.fountain")
    assert screenplay.title == "The Lighthouse Keeper"
    assert [scene.heading for scene in screenplay.scenes] == [
        "EXT. LIGHTHOUSE - NIGHT",
        "INT. LAMP ROOM - CONTINUOUS",
        "UNDERWATER",
        "EXT. HARBOUR - DAWN",
    ]
    assert "Ada Marsh" not in every_text(screenplay)


def test_a_forced_heading_is_a_scene_without_int_or_ext():
    underwater = read("lighthouse.fountain").scenes[2]
    assert (underwater.int_ext, underwater.location, underwater.time_of_day) == (
        "",
        "UNDERWATER",
        "",
    )
    assert underwater.shots[0].action == "Bubbles rise past a drowned bell."


def test_notes_and_the_boneyard_are_removed():
    text = every_text(read("lighthouse.fountain"))
    assert "VFX" not in text
    assert "runs over two lines" not in text  # a note across lines, on its own paragraph
    assert "foghorn" not in text  # a note across an empty line (screenplain would keep it)
    assert "BONEYARD" not in text
    assert "Nobody should ever see this" not in text
    assert "[[" not in text and "/*" not in text


def test_a_note_inside_action_leaves_the_action_whole():
    screenplay = parse_fountain(
        "INT. HALL - DAY\n\nShe waits.\n[[lighting?]]\nThe clock strikes.\n"
    )
    assert [shot.action for shot in screenplay.scenes[0].shots] == [
        "She waits.\nThe clock strikes."
    ]


def test_dual_dialogue_keeps_both_speakers_in_order():
    lamp_room = read("lighthouse.fountain").scenes[1]
    (shot,) = lamp_room.shots
    assert [line.speaker for line in shot.dialogue_lines] == ["MARA", "TOM", "MARA"]
    assert shot.dialogue.splitlines()[1:] == ["TOM: Mara? Mara, open up!", "MARA: Go home, Tom!"]
    assert "Dual dialogue: TOM and MARA speak at the same time." in shot.notes


def test_parentheticals_lead_their_words_and_wrapped_lines_are_one_line():
    shot = read("lighthouse.fountain").scenes[1].shots[0]
    assert shot.dialogue_lines[0] == DialogueLine(
        "MARA", "(whispering)", "Not tonight. Not while he's out there."
    )
    assert (
        shot.dialogue.splitlines()[0] == "MARA: (whispering) Not tonight. Not while he's out there."
    )


def test_character_extensions_are_kept_but_not_in_the_speakers_name():
    first = read("lighthouse.fountain").scenes[0].shots[0]
    assert first.dialogue == "MARA: (V.O.) Forty years I kept this light."


def test_dialogue_before_any_action_gets_its_own_shot():
    harbour = read("lighthouse.fountain").scenes[3]
    assert [shot.action for shot in harbour.shots] == ["", "The boats turn for home."]
    assert harbour.shots[0].dialogue == "TOM: (shouting) It's out! The light's out!"


def test_transitions_are_noted_on_the_shot_before_them():
    screenplay = read("lighthouse.fountain")
    assert "Transition: CUT TO:" in screenplay.scenes[1].shots[-1].notes
    assert "Transition: FADE OUT." in screenplay.scenes[3].shots[-1].notes


def test_what_comes_before_the_first_heading_is_not_a_shot():
    assert "FADE IN" not in every_text(read("lighthouse.fountain"))


def test_a_french_script_keeps_its_accents():
    screenplay = read("phare.fountain")
    assert screenplay.title == "Le Gardien du phare"
    cafe, jetty = screenplay.scenes
    assert (cafe.int_ext, cafe.location, cafe.time_of_day) == ("INT", "CAFÉ DE LA GARE", "NUIT")
    assert cafe.shots[0].dialogue == "ÉLODIE: (à voix basse) Tu es là ?"
    assert jetty.shots[0].dialogue == "GRÉGOIRE: (O.S.) Élodie ! Il est rentré !"


def test_a_latin_1_fountain_file_is_read():
    data = "INT. CAFÉ - JOUR\n\nÉlodie entre.\n".encode("latin-1")
    screenplay = read_screenplay("cafe.fountain", data)
    assert screenplay.scenes[0].location == "CAFÉ"
    assert screenplay.scenes[0].shots[0].action == "Élodie entre."


def test_a_byte_order_mark_is_not_part_of_the_first_heading():
    data = "\ufeffINT. HALL - DAY\n\nShe waits.\n".encode()
    assert read_screenplay("hall.fountain", data).scenes[0].int_ext == "INT"


def test_the_shot_dialogue_is_what_the_shot_editor_reads_with_speakers():
    shot = read("phare.fountain").scenes[1].shots[0]
    (line,) = parse_dialogue(shot.dialogue, "fr")
    assert (line.speaker, line.text) == ("GRÉGOIRE", "(O.S.) Élodie ! Il est rentré !")


def test_an_extension_that_looks_like_a_language_code_is_not_read_as_one():
    # "(OS)" after a name would be a language code to the shot editor, and refused.
    screenplay = parse_fountain("INT. HALL - DAY\n\nMARA (OS)\nHello.\n")
    dialogue = screenplay.scenes[0].shots[0].dialogue
    assert dialogue == "MARA: (OS) Hello."
    assert parse_dialogue(dialogue)[0].speaker == "MARA"


# --- Final Draft ----------------------------------------------------------------------------
def test_an_fdx_file_gives_scenes_shots_and_dialogue():
    screenplay = read("lighthouse.fdx")
    assert screenplay.title == "The Lighthouse Keeper"
    assert screenplay.kind == "Final Draft"
    assert [(s.int_ext, s.location, s.time_of_day) for s in screenplay.scenes] == [
        ("EXT", "LIGHTHOUSE", "NIGHT"),
        ("INT", "LAMP ROOM", "CONTINUOUS"),
        ("EXT", "HARBOUR", "DAWN"),
    ]
    lighthouse = screenplay.scenes[0]
    # Text runs of one paragraph are joined.
    assert lighthouse.shots[0].action == "Rain hammers the lamp room. A beam sweeps the black sea."
    assert lighthouse.shots[0].dialogue == "MARA: (V.O.) Forty years I kept this light."


def test_fdx_dialogue_before_action_parenthetical_and_dual_dialogue():
    lamp_room = read("lighthouse.fdx").scenes[1]
    assert [shot.action for shot in lamp_room.shots] == ["", "MARA wipes the glass."]
    assert lamp_room.shots[0].dialogue == "TOM: Mara? Open up!"
    assert lamp_room.shots[1].dialogue.splitlines() == [
        "MARA: (whispering) Not tonight.",
        "TOM: Mara!",
        "MARA: (shouting) Go home!",
    ]
    assert lamp_room.shots[1].notes == [
        "Dual dialogue: TOM and MARA speak at the same time.",
        "Transition: CUT TO:",
    ]


def test_a_broken_fdx_says_on_which_line():
    with pytest.raises(ScreenplayError) as caught:
        read("broken.fdx")
    assert caught.value.line == 9
    assert str(caught.value) == "Line 9: The file is not readable XML (mismatched tag, column 7)."


def test_an_fdx_with_entities_is_refused():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        b'<FinalDraft><Content><Paragraph Type="Scene Heading"><Text>&a;</Text></Paragraph>'
        b"</Content></FinalDraft>"
    )
    with pytest.raises(ScreenplayError, match="entities"):
        read_screenplay("bomb.fdx", data)


def test_xml_that_is_not_final_draft_is_refused():
    with pytest.raises(ScreenplayError, match="not a Final Draft file"):
        read_screenplay("page.fdx", b"<html><body>Hi</body></html>")


# --- files that are not screenplays ---------------------------------------------------------
def test_an_empty_file_is_refused():
    with pytest.raises(ScreenplayError, match=r"^This file is empty\.$"):
        read("empty.fountain")


def test_a_script_without_headings_is_refused():
    with pytest.raises(ScreenplayError) as caught:
        read_screenplay("notes.fountain", b"Some thoughts about a film.\n\nMore thoughts.\n")
    assert str(caught.value) == NO_HEADINGS


def test_an_unclosed_boneyard_says_where_it_opens():
    text = b"INT. HALL - DAY\n\nShe waits.\n\n/* cut this\n\nand this\n"
    with pytest.raises(ScreenplayError) as caught:
        read_screenplay("hall.fountain", text)
    assert str(caught.value) == "Line 5: A boneyard opened with /* is never closed with */."


def test_an_unclosed_note_says_where_it_opens():
    text = b"/* old\nlines */\nINT. HALL - DAY\n\nShe waits. [[fix\n\nthis\n"
    with pytest.raises(ScreenplayError) as caught:
        read_screenplay("hall.fountain", text)
    assert caught.value.line == 5


def test_a_binary_file_is_refused_with_its_line():
    with pytest.raises(ScreenplayError) as caught:
        read_screenplay("script.txt", b"INT. HALL - DAY\n\n%PDF\x00\x01")
    assert caught.value.line == 3
    assert "not a text file" in str(caught.value)


def test_a_txt_file_that_is_not_utf8_is_refused_with_its_line():
    with pytest.raises(ScreenplayError) as caught:
        read_screenplay("script.txt", b"INT. HALL - DAY\n\nCaf\xe9\n")
    assert caught.value.line == 3
    assert "not UTF-8" in str(caught.value)


def test_other_kinds_of_file_and_oversized_files_are_refused():
    with pytest.raises(ScreenplayError, match="Choose a Fountain file"):
        read_screenplay("script.pdf", b"INT. HALL - DAY\n")
    with pytest.raises(ScreenplayError, match="up to 2 MB"):
        read_screenplay("script.fountain", b"x" * (MAX_BYTES + 1))


# --- headings and limits --------------------------------------------------------------------
@pytest.mark.parametrize(
    "heading, parts",
    [
        ("INT. KITCHEN - NIGHT", ("INT", "KITCHEN", "NIGHT")),
        ("EXT BEACH", ("EXT", "BEACH", "")),
        ("INT./EXT. CAR - MOVING - DAY", ("INT/EXT", "CAR - MOVING", "DAY")),
        ("I/E. PORCH — DUSK", ("INT/EXT", "PORCH", "DUSK")),
        ("EST. CITY SKYLINE - DAY", ("EST", "CITY SKYLINE", "DAY")),
        ("SNIPER SCOPE POV", ("", "SNIPER SCOPE POV", "")),
        ("INTERIOR DESIGN SHOP", ("", "INTERIOR DESIGN SHOP", "")),
    ],
)
def test_headings_split_into_int_ext_location_and_time(heading, parts):
    assert split_heading(heading) == parts


def test_clip_cuts_at_a_word_and_says_so():
    assert clip("THE OLD LIGHTHOUSE ON THE NORTHERN CLIFF", 20) == "THE OLD LIGHTHOUSE…"
    assert len(clip("x" * 200, 120)) == 120
    assert clip("SHORT", 120) == "SHORT"
