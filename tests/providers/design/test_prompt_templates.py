"""Prompt templates a team edits: the shipped defaults still give the guide's prompts, an edit
shows in the prompt, and a hostile template is refused with a useful message.

Templates are user input run on the server, so check_shot (live, while the filmmaker types) must
turn every template problem into a "prompt" message, never an exception, and a template must not
be able to hang, eat memory or reach Python objects.
"""

import dataclasses
import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from providers.capabilities import CAPABILITIES
from providers.core.placeholders import KNOWN, PLACEHOLDERS
from providers.core.spec import Beat, CameraMove, DialogueLine
from providers.core.templating import FILTER_ARGS, FILTERS, TemplateProblem, compile_template
from providers.design.compile import FAMILIES, compile_shot, family_of
from providers.design.preflight import FIELDS, check_shot, utf16_len
from tests.providers.design.test_golden_prompts import (
    GOLDEN_HIGGSFIELD,
    GOLDEN_RUNWAY,
    GUIDE_KLING,
    GUIDE_SEEDANCE,
    GUIDE_VEO,
    HIGGSFIELD_SHOT,
    KLING_SHOT,
    RUNWAY_SHOT,
    SEEDANCE_SHOT,
    VEO_SHOT,
    shot,
)
from tests.providers.design.test_properties import specs

TODAY = datetime.date(2026, 12, 7)
GOLDENS = [
    (VEO_SHOT, "veo-3.1", GUIDE_VEO),
    (VEO_SHOT, "veo-3.1-fast", GUIDE_VEO),
    (KLING_SHOT, "kling-2.6-pro", GUIDE_KLING),
    (SEEDANCE_SHOT, "seedance-1.5-pro", GUIDE_SEEDANCE),
    (RUNWAY_SHOT, "runway-gen4.5", GOLDEN_RUNWAY),
    (HIGGSFIELD_SHOT, "higgsfield-dop-turbo", GOLDEN_HIGGSFIELD),
]
RICH_SHOT = shot(
    subject="a lone hiker",
    action="looking out over the valley",
    context="on a ridge at dusk",
    shot_size="ws",
    camera=CameraMove(dolly=2),
    audio=True,
    dialogue=(DialogueLine(speaker="The hiker", text="We made it"),),
    sound_effects="wind gusting",
    beats=(Beat(5, "she raises her arms"), Beat(2, "she stops")),
    duration_seconds=5,
)


def template_problem(spec, model, template) -> list[str]:
    found = check_shot(spec, model, today=TODAY, templates={family_of(model): template})
    return [m for m in found.get("prompt", []) if m.startswith("The prompt template cannot")]


@pytest.mark.parametrize(("spec", "model", "prompt"), GOLDENS, ids=[g[1] for g in GOLDENS])
def test_shipped_template_passed_explicitly_gives_the_golden_prompt(spec, model, prompt):
    family = family_of(model)
    compiled = compile_shot(spec, model, {family: FAMILIES[family].template})
    assert compiled.prompt == prompt
    assert compiled.family == family and compiled.custom_template is False


@pytest.mark.parametrize("model", sorted(CAPABILITIES))
def test_explicit_default_template_is_the_same_request_as_none(model):
    family = family_of(model)
    implicit = compile_shot(RICH_SHOT, model)
    explicit = compile_shot(RICH_SHOT, model, {family: FAMILIES[family].template})
    for part in ("prompt", "notes", "ignored", "params"):
        assert getattr(explicit, part) == getattr(implicit, part), part
    assert not explicit.custom_template


def test_house_style_suffix_is_appended_and_marks_the_template_custom():
    template = FAMILIES["kling"].template + "Shot on 35mm film."
    compiled = compile_shot(KLING_SHOT, "kling-2.6-pro", {"kling": template})
    assert compiled.prompt == GUIDE_KLING + " Shot on 35mm film."
    assert compiled.custom_template is True
    assert compiled.ignored == []
    # Another family's template does not touch this model.
    assert compile_shot(VEO_SHOT, "veo-3.1", {"kling": template}).prompt == GUIDE_VEO


def test_reordered_template_puts_the_camera_sentence_first():
    template = "{{ camera_sentence }}\n{{ [subject_action, context]|commas|sentence }}"
    compiled = compile_shot(KLING_SHOT, "kling-2.6-pro", {"kling": template})
    assert compiled.prompt == (
        "The camera is a handheld shot that shakes with the impact. A knight in heavy plate "
        "armor stumbles and falls onto a wooden table, which splinters under the impact."
    )
    assert compiled.custom_template is True


def test_template_leaving_out_the_camera_says_so_in_ignored():
    compiled = compile_shot(KLING_SHOT, "kling-2.6-pro", {"kling": "{{ subject_action }}"})
    assert "camera move: not in this template's prompt" in compiled.ignored


HOSTILE = {  # template -> words the refusal must contain
    "{{ ''.__class__ }}": ".__class__ is not allowed",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}": "calling a function",
    "{{ subject.__class__ }}": ".__class__ is not allowed",
    "{{ cycler.__init__.__globals__ }}": "is not allowed",
    "{{ range(10**9) }}": "calling a function",
    "{% for i in range(100000000) %}x{% endfor %}": "runs over lines or beat_list only",
    "{% for a in lines %}{% for b in lines %}x{% endfor %}{% endfor %}": "inside another",
    "{% set x = subject ~ subject %}": "{% set %}",
    "{{ subject * 1000000 }}": "* is not allowed",
    "{{ lipsum() }}": "calling a function",
    "{% include 'x' %}": "{% include %}",
    "{% macro m() %}{% endmacro %}": "{% macro %}",
    "{{ lines[0] }}": "indexing with [ ]",
    "{{ subject|attr('__class__') }}": "the filter attr is not offered",
    "{% for line in lines %}{{ line.__class__ }}{% endfor %}": "line has speaker, text",
    "{% for line in lines %}{{ line.items }}{% endfor %}": "line.items is not a field",
    "{% for line in lines %}{{ loop.cycle }}{% endfor %}": "loop.cycle is not a field",
    "{{ subjct }}": "Did you mean subject?",
    "{{ subject ": "unexpected end of template",
}


@pytest.mark.parametrize(("template", "words"), HOSTILE.items(), ids=list(HOSTILE))
def test_hostile_template_is_refused_with_its_line_and_construct(template, words):
    with pytest.raises(TemplateProblem) as refused:
        compile_template(template, KNOWN)
    assert "Line 1" in str(refused.value) and words in str(refused.value)
    problems = template_problem(KLING_SHOT, "kling-2.6-pro", template)
    assert problems == [f"The prompt template cannot be used: {refused.value}"]


def test_refusal_names_the_line_of_a_multiline_template():
    with pytest.raises(TemplateProblem, match=r"^Line 3: \.__class__"):
        compile_template("{{ subject }}\n{{ action }}\n{{ style.__class__ }}", KNOWN)


def test_megabyte_template_is_refused_by_size_before_parsing():
    with pytest.raises(TemplateProblem, match=r"1,000,000 characters.*at most 4,000"):
        compile_template("x" * 1_000_000, KNOWN)
    assert template_problem(KLING_SHOT, "kling-2.6-pro", "x" * 1_000_000)


@pytest.mark.timeout(10)
def test_replace_chain_on_a_long_subject_is_refused_by_size_not_built():
    template = "{{ subject" + '|replace("a", "aaaaaaaaaa")' * 12 + " }}"
    spec = dataclasses.replace(KLING_SHOT, subject="a" * 1000)
    with pytest.raises(TemplateProblem, match="over 20,000 characters"):
        compile_shot(spec, "kling-2.6-pro", {"kling": template})
    assert "20,000" in template_problem(spec, "kling-2.6-pro", template)[0]


# Shapes the whitelist allows but Python's own compiler (or Jinja's recursive parser) would
# choke on: each must come back as a "prompt" message, never as SyntaxError or RecursionError.
ESCAPING = {
    "break outside a loop": "{% break %}",
    "continue outside a loop": "{% continue %}",
    "70 nested parentheses": "{{ " + "(" * 70 + "subject" + ")" * 70 + " }}",
    "200 chained nots": "{{ " + "not " * 200 + "subject }}",
    "200 chained filters": "{{ subject" + "|trim" * 200 + " }}",
    "100 nested ifs": "{% if subject %}" * 100 + "x" + "{% endif %}" * 100,
    "3600-digit hex literal": "{{ 0x" + "f" * 3600 + " }}",
}


@pytest.mark.parametrize("template", ESCAPING.values(), ids=list(ESCAPING))
def test_template_python_cannot_compile_is_a_prompt_message(template):
    assert template_problem(KLING_SHOT, "kling-2.6-pro", template)


DIALOGUE = shot(
    subject="two detectives",
    action="argue",
    audio=True,
    dialogue=(DialogueLine("Ann", "Run."), DialogueLine("", "Why?", "fr")),
)
LINES = (
    "{% for line in lines %}{{ line.speaker }}{{ line.in_language }}: {{ line.text }} {% endfor %}"
)


def test_loop_over_lines_renders_each_line_for_an_audio_model():
    compiled = compile_shot(DIALOGUE, "veo-3.1", {"google-veo": LINES})
    assert compiled.prompt == "Ann: Run. two detectives in French: Why?"
    silent = dataclasses.replace(DIALOGUE, audio=False)
    assert compile_shot(silent, "veo-3.1", {"google-veo": LINES}).prompt == ""


def test_loop_over_beat_list_gives_times_and_actions():
    template = "{% for beat in beat_list %}{{ beat.at }}s {{ beat.action|sentence }} {% endfor %}"
    assert compile_shot(RICH_SHOT, "veo-3.1", {"google-veo": template}).prompt == (
        "2s She stops. 5s She raises her arms."
    )


# Emoji: 601 characters, but 1201 UTF-16 units, which is what Runway counts.
LONG_CONTEXTS = [("on a black mirror under a slow sweep of light " * 5, 6), ("😀" * 300, 2)]


@pytest.mark.parametrize(("context", "copies"), LONG_CONTEXTS, ids=["words", "emoji"])
def test_runway_template_repeating_context_past_1000_utf16_units_is_reported(context, copies):
    spec = dataclasses.replace(RUNWAY_SHOT, context=context)
    templates = {"runway": "{{ context }} " * copies}
    assert "prompt" not in check_shot(spec, "runway-gen4.5", today=TODAY)
    prompt = compile_shot(spec, "runway-gen4.5", templates).prompt
    assert utf16_len(prompt) > 1000
    found = check_shot(spec, "runway-gen4.5", today=TODAY, templates=templates)
    assert found["prompt"] == [
        f"Runway Gen-4.5 reads prompts up to 1000 characters; this one is {utf16_len(prompt)}."
    ]


# A grammar of templates the whitelist accepts: placeholders, filters, ifs, one-level loops.
literal = st.text(alphabet="ab .,'\"é漢😀\n", max_size=12)
placeholder = st.builds(
    lambda name, filters: "{{ " + name + "".join("|" + f for f in filters) + " }}",
    st.sampled_from(sorted(PLACEHOLDERS)),
    # Filters that need no argument, and replace with its two.
    st.lists(
        st.sampled_from(
            [f for f in sorted(FILTERS) if FILTER_ARGS.get(f, (0, 0))[0] == 0]
            + ['replace("a", "b")']
        ),
        max_size=2,
    ),
)
loop = st.sampled_from(
    [
        "{% for line in lines %}{{ line.text }}{% endfor %}",
        LINES,
        "{% for beat in beat_list %}{{ loop.index }}. {{ beat.action|sentence }}{% endfor %}",
    ]
)
piece = st.recursive(
    st.one_of(literal, placeholder, loop),
    lambda inner: st.builds(
        lambda name, body: "{% if " + name + " %}" + "".join(body) + "{% endif %}",
        st.sampled_from(sorted(PLACEHOLDERS)),
        st.lists(inner, max_size=3),
    ),
    max_leaves=8,
)
grammar = st.lists(piece, max_size=8).map("".join)
# Jinja-flavoured noise; break/continue and deep nesting are left to ESCAPING above.
NOISE = (
    "{{ }} {% %} {# #} subject lines line .text for if endif endfor else | sentence ( ) [ ] "
    "' ~ not and set = * __class__ raw endraw - 0 1.5"
)
soup = st.lists(
    st.sampled_from([" ", " in ", *NOISE.split()]),
    max_size=20,
).map("".join)
# The shot strategy's long actions, told three times, pass Runway's and Kling's prompt limits.
wordy = grammar.map(lambda t: t + "{{ action }} {{ subject_action }} {{ action|upper }}")
SLOW = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(max_examples=400, **SLOW)
@given(template=st.one_of(st.text(max_size=300), soup))
def test_arbitrary_text_is_compiled_or_refused_with_template_problem(template):
    try:
        compile_template(template, KNOWN)
    except TemplateProblem as problem:
        assert str(problem)


@settings(max_examples=200, **SLOW)
@given(st.one_of(grammar, soup, wordy), specs(), st.sampled_from(sorted(CAPABILITIES)))
def test_accepted_template_compiles_and_preflight_never_raises(template, spec, model):
    caps, family = CAPABILITIES[model], family_of(model)
    templates = {family: template}
    try:
        compiled = compile_shot(spec, model, templates)
    except TemplateProblem:
        compiled = None
    found = check_shot(spec, model, today=TODAY, templates=templates)
    assert set(found) <= set(FIELDS)
    if compiled is None:
        assert template_problem(spec, model, template)
        return
    assert compiled.prompt == " ".join(compiled.prompt.split())
    assert compiled.custom_template == (template not in ("", FAMILIES[family].template))
    if caps.prompt_max_chars is not None and utf16_len(compiled.prompt) > caps.prompt_max_chars:
        assert any(f"up to {caps.prompt_max_chars} characters" in m for m in found["prompt"])


@settings(max_examples=100, **SLOW)
@given(template=grammar)
def test_grammar_templates_are_all_accepted(template):
    assert compile_template(template, KNOWN).used <= KNOWN
