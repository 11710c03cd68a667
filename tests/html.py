"""Reading pages the way a browser submits them: the controls of a page, and what its forms post."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

CONTROLS = ("input", "select", "textarea", "button")


@dataclass
class Control:
    tag: str
    name: str
    type: str
    value: str
    disabled: bool  # its own attribute or a disabled <fieldset> around it
    checked: bool
    text: str = ""  # a button's or a textarea's text
    unseen: bool = False  # its own `hidden` attribute or a hidden element around it (until JS)

    @property
    def hidden(self) -> bool:
        return self.tag == "input" and self.type == "hidden"


VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "area", "col", "embed"}


class _Parser(HTMLParser):
    def __init__(self, within: str | None):
        super().__init__(convert_charrefs=True)
        self.within = within  # only controls inside the element with this id
        self.inside_from: int | None = None if within else 0  # stack depth where it starts
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, a disabled fieldset, hidden)
        self.controls: list[Control] = []
        self.open: Control | None = None  # a button or textarea collecting its text
        self.select: Control | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.within and attrs.get("id") == self.within:
            self.inside_from = len(self.stack)
        if tag == "option":
            if self.select is not None and ("selected" in attrs or not self.select.checked):
                self.select.value = attrs.get("value", "") or ""
                self.select.checked = "selected" in attrs
            return
        by_fieldset = any(disabling for _, disabling, _ in self.stack)
        unseen = "hidden" in attrs or any(hidden for _, _, hidden in self.stack)
        if tag not in VOID:
            self.stack.append((tag, tag == "fieldset" and "disabled" in attrs, "hidden" in attrs))
        if self.inside_from is None or tag not in CONTROLS:
            return
        control = Control(
            tag=tag,
            name=attrs.get("name", "") or "",
            type=attrs.get("type", "submit" if tag == "button" else "text") or "",
            value=attrs.get("value", "") or "",
            disabled="disabled" in attrs or by_fieldset,
            checked="checked" in attrs,
            unseen=unseen,
        )
        self.controls.append(control)
        if tag in ("button", "textarea"):
            self.open = control
        elif tag == "select":
            self.select = control

    def handle_data(self, data):
        if self.open is not None:
            self.open.text += data

    def handle_endtag(self, tag):
        if self.open is not None and tag == self.open.tag:
            if tag == "textarea":
                self.open.value = self.open.text.removeprefix("\n")
            self.open = None
        if tag == "select":
            self.select = None
        if tag in VOID or all(open_tag != tag for open_tag, _, _ in self.stack):
            return
        while self.stack and self.stack.pop()[0] != tag:
            pass
        if self.within and self.inside_from is not None and len(self.stack) <= self.inside_from:
            self.inside_from = None


def controls(html: str, within: str | None = None) -> list[Control]:
    """Every input, select, textarea and button (of the element with id `within`)."""
    parser = _Parser(within)
    parser.feed(html)
    return parser.controls


def enabled_controls(html: str, within: str | None = None) -> list[Control]:
    """What a person could type into or press: not hidden, not disabled."""
    return [c for c in controls(html, within) if not (c.hidden or c.unseen or c.disabled)]


def form_data(html: str, form_id: str) -> dict[str, str]:
    """What the form with this id posts as it stands (buttons and unchecked boxes aside)."""
    data = {}
    for control in controls(html, within=form_id):
        if not control.name or control.disabled or control.tag == "button":
            continue
        if control.type in ("checkbox", "radio") and not control.checked:
            continue
        if control.type in ("submit", "file"):
            continue
        checkbox_default = "on" if control.type in ("checkbox", "radio") else ""
        data[control.name] = control.value or checkbox_default
    return data
