"""Prompt templates a team writes: Jinja2 text with named placeholders, run in a sandbox.

Templates come from users, so three guards stand between them and the machine:

1. **A whitelist of template syntax** (`check`): placeholders, literals, `~`, comparisons,
   `and`/`or`/`not`, `if`, one level of `for` over the shot's lists, and named filters. No
   `set`, macros, calls, imports or attribute walking: a loop runs at most as many times as
   the shot has lines or beats, and no value can grow by more than the template's own text.
2. **Jinja2's `ImmutableSandboxedEnvironment`**, with no globals (no `range`, no `namespace`),
   in case the whitelist ever lets something through: it refuses `__class__` and friends.
3. **Size limits**: the template's text (`MAX_TEMPLATE_CHARS`), every filter's result and the
   rendered prompt (`MAX_OUTPUT_CHARS`), counted as it is produced.

Whitespace in the output is collapsed to single spaces, so a template may be written over
several lines and an empty placeholder leaves no gap: "{{ a }} {{ b }}" with an empty `a` is
just `b`. That is also how the built-in formulas joined their sentences.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from providers.core.prompting import capitalize, sentence

MAX_TEMPLATE_CHARS = 4000
MAX_OUTPUT_CHARS = 20_000
# Python's own compiler gives up on deep nesting (and Jinja's parser recurses): refuse first.
MAX_DEPTH = 24
# Fields a loop variable offers, per list placeholder.
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "lines": ("speaker", "text", "language", "in_language"),
    "beat_list": ("at", "action"),
}
LOOP_FIELDS = ("index", "index0", "first", "last", "length", "revindex", "revindex0")
TESTS = ("defined", "undefined", "none", "string", "number", "true", "false")
OPERATORS = ("eq", "ne", "lt", "lteq", "gt", "gteq", "in", "notin")


class TemplateProblem(ValueError):
    """A template that cannot be used, in words for the field under the editor."""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _too_long() -> TemplateProblem:
    return TemplateProblem(
        f"The template makes text over {MAX_OUTPUT_CHARS:,} characters; no prompt is that long."
    )


def _capped(text: str) -> str:
    if len(text) > MAX_OUTPUT_CHARS:
        raise _too_long()
    return text


def _sentence(value: Any) -> str:
    return sentence(_text(value))


def _commas(values: Any, separator: str = ", ") -> str:
    if isinstance(values, str):
        values = [values]
    parts = [_text(v).strip() for v in values or ()]
    return _capped(_text(separator).join(p for p in parts if p))


def _replace(value: Any, old: Any, new: Any) -> str:
    text, old, new = _text(value), _text(old), _text(new)
    if not old:
        return text
    # Refuse before building: a chain of replaces could otherwise grow without bound.
    if len(text) + text.count(old) * max(0, len(new) - len(old)) > MAX_OUTPUT_CHARS:
        raise _too_long()
    return text.replace(old, new)


def _join(values: Any, separator: str = "") -> str:
    return _capped(_text(separator).join(_text(v) for v in values or ()))


def _capitalize(value: Any) -> str:
    return capitalize(_text(value))


def _default(value: Any, fallback: Any = "") -> Any:
    return value if value else fallback


# Filter -> (fewest, most) arguments after the value; no keyword arguments.
FILTER_ARGS = {"commas": (0, 1), "default": (0, 1), "replace": (2, 2), "join": (0, 1)}

FILTERS = {
    "sentence": _sentence,  # capitalized, ending in a full stop (as the built-in formulas)
    "commas": _commas,  # the non-empty items joined with ", " (or the separator given)
    "capitalize": _capitalize,  # first letter upper, the rest as written
    "lower": lambda v: _text(v).lower(),
    "upper": lambda v: _text(v).upper(),
    "title": lambda v: _text(v).title(),
    "trim": lambda v: _text(v).strip(),
    "default": _default,
    "replace": _replace,
    "join": _join,
    "length": lambda v: len(v) if isinstance(v, (str, list, tuple)) else 0,
    "first": lambda v: v[0] if isinstance(v, (str, list, tuple)) and v else "",
    "last": lambda v: v[-1] if isinstance(v, (str, list, tuple)) and v else "",
}

# Jinja's words for a node, as a template writer would know the syntax.
_SYNTAX_NAMES = {
    "Assign": "{% set %}",
    "AssignBlock": "{% set %}",
    "Macro": "{% macro %}",
    "CallBlock": "{% call %}",
    "Call": "calling a function",
    "Include": "{% include %}",
    "Import": "{% import %}",
    "FromImport": "{% from … import %}",
    "Extends": "{% extends %}",
    "Block": "{% block %}",
    "FilterBlock": "{% filter %}",
    "With": "{% with %}",
    "Getitem": "indexing with [ ]",
    "Slice": "slicing",
    "Dict": "a dict literal",
    "Mul": "*",
    "Div": "/",
    "FloorDiv": "//",
    "Mod": "%",
    "Pow": "**",
    "Add": "+ (join text with ~)",
    "Sub": "-",
    "Neg": "-",
    "Pos": "+",
    "Scope": "scoped blocks",
    "ScopedEvalContextModifier": "{% autoescape %}",
    "EvalContextModifier": "{% autoescape %}",
}
_ALLOWED = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Const,
    nodes.Name,
    nodes.List,
    nodes.Tuple,
    nodes.Concat,
    nodes.CondExpr,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Compare,
    nodes.Operand,
    nodes.Test,
    nodes.Filter,
    nodes.If,
    nodes.For,
    nodes.Getattr,
    nodes.Keyword,
    nodes.Continue,
    nodes.Break,
)


class _Environment(ImmutableSandboxedEnvironment):
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Only the fields of a loop variable (plain dicts) and `loop`'s counters; check()
        # already refused anything else, this is the second lock on the same door.
        return attr in LOOP_FIELDS and super().is_safe_attribute(obj, attr, value)


def _environment() -> _Environment:
    env = _Environment(autoescape=False, finalize=_text, extensions=("jinja2.ext.loopcontrols",))
    env.globals.clear()  # no range(), dict(), namespace(), lipsum(), cycler()...
    env.filters = dict(FILTERS)
    env.tests = {name: env.tests[name] for name in TESTS}
    return env


ENV = _environment()


@dataclass(frozen=True)
class Compiled:
    template: Any
    used: frozenset[str]  # the placeholders the template names


def _too_deep() -> TemplateProblem:
    return TemplateProblem(
        "The template is too deeply nested or has a number too long to read: simplify it."
    )


def _where(node: nodes.Node) -> str:
    return f"Line {node.lineno}: " if getattr(node, "lineno", None) else ""


def _refuse(node: nodes.Node) -> TemplateProblem:
    kind = type(node).__name__
    what = _SYNTAX_NAMES.get(kind, kind)
    return TemplateProblem(
        f"{_where(node)}{what} is not allowed in a prompt template: use placeholders, "
        "filters, {% if %} and {% for %} over lines or beat_list."
    )


def _unknown(node: nodes.Node, name: str, known: Iterable[str]) -> TemplateProblem:
    near = difflib.get_close_matches(name, list(known), n=1)
    hint = f" Did you mean {near[0]}?" if near else ""
    return TemplateProblem(
        f"{_where(node)}{name} is not a placeholder.{hint} The placeholders are listed beside "
        "the editor."
    )


def _walk(
    node: nodes.Node,
    known: frozenset[str],
    scope: dict[str, str],
    used: set[str],
    depth: int = 0,
) -> None:
    """Refuse every construct outside the whitelist; `scope` maps loop variables to lists."""
    if not isinstance(node, _ALLOWED):
        raise _refuse(node)
    if depth > MAX_DEPTH:
        raise TemplateProblem(
            f"{_where(node)}the template nests too deeply: keep filters, brackets and "
            f"{{% if %}} under {MAX_DEPTH} levels."
        )
    if isinstance(node, (nodes.Break, nodes.Continue)) and not scope:
        raise TemplateProblem(f"{_where(node)}break and continue belong inside a {{% for %}}.")
    if isinstance(node, nodes.Const) and not isinstance(node.value, (str, bool, int, float)):
        raise _refuse(node)
    if isinstance(node, nodes.For):
        if scope:
            raise TemplateProblem(f"{_where(node)}a {{% for %}} inside another is not allowed.")
        if node.recursive:
            raise TemplateProblem(f"{_where(node)}recursive loops are not allowed.")
        lists = " or ".join(LIST_FIELDS)
        if not (isinstance(node.iter, nodes.Name) and node.iter.name in LIST_FIELDS):
            raise TemplateProblem(f"{_where(node)}{{% for %}} runs over {lists} only.")
        if not isinstance(node.target, nodes.Name) or node.target.name in known:
            raise TemplateProblem(
                f"{_where(node)}name the loop variable with one new word, e.g. "
                "{% for line in lines %}."
            )
        used.add(node.iter.name)
        inner = {node.target.name: node.iter.name, "loop": ""}
        for child in (*node.body, *node.else_):
            _walk(child, known, inner, used, depth + 1)
        if node.test is not None:
            _walk(node.test, known, inner, used, depth + 1)
        return
    if isinstance(node, nodes.Getattr):
        owner = node.node
        if not isinstance(owner, nodes.Name) or owner.name not in scope:
            raise TemplateProblem(
                f"{_where(node)}.{node.attr} is not allowed: only a loop variable has fields "
                f"({', '.join(f'line.{f}' for f in LIST_FIELDS['lines'])}; "
                f"{', '.join(f'beat.{f}' for f in LIST_FIELDS['beat_list'])})."
            )
        fields = LIST_FIELDS.get(scope[owner.name], LOOP_FIELDS)
        if node.attr not in fields:
            raise TemplateProblem(
                f"{_where(node)}{owner.name}.{node.attr} is not a field; "
                f"{owner.name} has {', '.join(fields)}."
            )
        return
    if isinstance(node, nodes.Name):
        if node.ctx != "load":
            raise _refuse(node)
        if node.name in scope:
            return
        if node.name not in known:
            raise _unknown(node, node.name, known)
        used.add(node.name)
        return
    if isinstance(node, nodes.Filter) and node.name not in FILTERS:
        raise TemplateProblem(
            f"{_where(node)}the filter {node.name} is not offered; the filters are "
            f"{', '.join(FILTERS)}."
        )
    if isinstance(node, nodes.Filter):
        fewest, most = FILTER_ARGS.get(node.name, (0, 0))
        if node.kwargs or not fewest <= len(node.args) <= most:
            takes = "nothing" if most == 0 else f"{fewest}" if fewest == most else f"{most} at most"
            raise TemplateProblem(
                f"{_where(node)}the filter {node.name} takes {takes} in brackets "
                f"({'no names' if node.kwargs else f'{len(node.args)} given'})."
            )
    if isinstance(node, nodes.Test) and node.name not in TESTS:
        raise TemplateProblem(
            f"{_where(node)}the test {node.name} is not offered; the tests are {', '.join(TESTS)}."
        )
    if isinstance(node, nodes.Operand) and node.op not in OPERATORS:
        raise _refuse(node)
    if isinstance(node, (nodes.Filter, nodes.Test)) and (node.dyn_args or node.dyn_kwargs):
        raise TemplateProblem(f"{_where(node)}*args and **kwargs are not allowed.")
    for child in node.iter_child_nodes():
        _walk(child, known, scope, used, depth + 1)


@lru_cache(maxsize=256)
def compile_template(text: str, known: frozenset[str]) -> Compiled:
    """The template ready to render, or TemplateProblem saying what to fix. `known`: the
    placeholder names this template may use."""
    if len(text) > MAX_TEMPLATE_CHARS:
        raise TemplateProblem(
            f"The template is {len(text):,} characters; a prompt template holds at most "
            f"{MAX_TEMPLATE_CHARS:,}."
        )
    try:
        tree = ENV.parse(text)
    except TemplateSyntaxError as error:
        raise TemplateProblem(f"Line {error.lineno}: {error.message}") from None
    except RecursionError:
        raise _too_deep() from None
    used: set[str] = set()
    _walk(tree, known, {}, used)
    try:
        template = ENV.from_string(tree)
    except (TemplateError, SyntaxError, ValueError, RecursionError, MemoryError):
        # Whatever slipped past the walk and Python's compiler would not take.
        raise _too_deep() from None
    return Compiled(template=template, used=frozenset(used))


def render(compiled: Compiled, values: Mapping[str, Any]) -> str:
    """The prompt, with whitespace collapsed; TemplateProblem when it cannot be made."""
    size = 0
    pieces = []
    try:
        for piece in compiled.template.generate(dict(values)):
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise _too_long()
            pieces.append(piece)
    except TemplateProblem:
        raise
    except SecurityError as error:
        raise TemplateProblem(f"Not allowed in a prompt template: {error}") from None
    except (TemplateError, TypeError, ValueError, AttributeError, IndexError) as error:
        raise TemplateProblem(f"The template could not be filled in: {error}") from None
    return " ".join("".join(pieces).split())
