"""Shot cards as HTML, 500 at a time (docs/decisions/012-board-swaps-what-changed.md).

A card is one string format filled with values escaped once: no template lookups, no number
localisation and one reverse() per route for the whole board, where a template loop cost about
2 ms a card. The board's views paint with CardPainter; {% shot_card %} draws one card where a
template asks for it (a live board's refresh, the card editor's Cancel).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from projects.models import Membership, Shot, ShotStatus
from projects.models import choices as choice_lists
from projects.selectors.board import card_for
from providers.core.catalog import CAMERA_AXES, describe_camera

register = template.Library()


_ID = 987654321  # stands in for a shot or take id in a reversed URL, then replaced


def url_maker(name: str, project_id: int, *tail: str) -> Callable[[int], str]:
    """A function id -> URL from one reverse(): str.replace is a hundred times cheaper."""
    head, rest = reverse(name, args=[project_id, _ID, *tail]).split(str(_ID), 1)
    return lambda pk: f"{head}{pk}{rest}"


def ascii_html(html: str) -> str:
    """The markup with every character beyond ASCII as a character reference (the same text on
    screen). The board's own words are kept ASCII: one "·" made Python hold the whole 400 KB page
    at two bytes a character, and copying and encoding it was a tenth of the board's time.
    People's own text (subjects, labels) is left as typed."""
    return html.encode("ascii", "xmlcharrefreplace").decode("ascii")


def _parts(name: str, project_id: int, board: str, *tail: str) -> tuple[str, str]:
    """A card's URL relative to the board (`board`, its URL) as (before the id, after it), put
    together in the card's own string format."""
    pattern = reverse(name, args=[project_id, _ID, *tail]).removeprefix(board)
    head, rest = pattern.split(str(_ID), 1)
    return head, rest


DEFAULT_ASPECT = "16x9"  # the frame's shape when it names none (static/css/board.css)


class SceneLinks:
    """The URLs a scene's section and header carry, one reverse() per route for the board
    (the {% url %} tags cost about 1 ms a scene)."""

    ROUTES = {
        "move": "projects:scene-move",
        "generate": "projects:scene-generate",
        "edit": "projects:scene-edit",
        "delete": "projects:scene-delete",
        "add_shot": "projects:shot-create",
    }

    def __init__(self, project_id: int):
        self.makers = {key: url_maker(name, project_id) for key, name in self.ROUTES.items()}
        self.animatic = reverse("projects:animatic", args=[project_id])

    def of(self, scene_id: int) -> dict[str, str]:
        links = {key: make(scene_id) for key, make in self.makers.items()}
        links["animatic"] = f"{self.animatic}?scene={scene_id}"
        return links


class CardPainter:
    """Paints the cards of one project for one member from the rows of selectors/board.py
    (CARD_ROW): the URLs are worked out once, and the strings many cards share (a status, the
    specs line, the camera summary) once per value, not once per card."""

    def __init__(self, project_id: int, *, can_edit: bool):
        self.can_edit = can_edit
        board = reverse("projects:storyboard", args=[project_id])
        self.shot_url = _parts("projects:shot", project_id, board)
        self.menu_url = _parts("projects:shot-move", project_id, board)
        self.hero_url = _parts("projects:shot-image", project_id, board, "hero-thumb")
        self.take_url = _parts("projects:take-media", project_id, board, "thumb.jpg")
        self.statuses = {
            value: (escape(value), ascii_html(escape(str(text))))
            for value, text in ShotStatus.choices
        }
        self.frames: dict[str, str] = {}  # aspect ratio -> the frame's class, e.g. " ar-9x16"
        self.sizes = dict(choice_lists.shot_sizes())
        self.models = dict(choice_lists.video_models())
        self.specs: dict[tuple, str] = {}
        self.cameras: dict[tuple, str] = {}

    def _specs(self, size: str, seconds, model: str) -> str:
        key = (size, seconds, model)
        if key not in self.specs:
            words = f"{self.sizes.get(size, size)} · {seconds} s · {self.models.get(model, model)}"
            self.specs[key] = ascii_html(escape(words))
        return self.specs[key]

    def _camera(self, moves: tuple) -> str:
        if moves not in self.cameras:
            words = describe_camera(dict(zip(CAMERA_AXES, moves, strict=True)))
            self.cameras[moves] = ascii_html(words)
        return self.cameras[moves]

    def card(self, row: tuple) -> str:
        # The row's order is selectors/board.py CARD_ROW: 18 columns, the shot's place, the
        # camera's six axes, then the version stack.
        (pk, _, label, subject, action, dialogue, status, size, seconds, model, aspect, hero) = row[
            :12
        ]
        (circled_id, circled_thumb, _, approved, approved_take, approved_by) = row[12:18]
        moves, (versions, circled_version) = row[19:-2], row[-2:]
        # The standard library's escape: the same text as Django's, without its lazy-string
        # wrapper, which cost more than the escaping on 500 cards.
        label = escape(label)
        if circled_id and circled_thumb:
            head, tail = self.take_url
            picture = (
                f'<img src="{head}{circled_id}{tail}" alt="Circled take of shot {label}"'
                ' loading="lazy">'
            )
        elif hero:
            head, tail = self.hero_url
            key = hero.rsplit("/", 1)[-1].split(".", 1)[0]
            picture = (
                f'<img src="{head}{pk}{tail}?v={escape(key)}" alt="Hero frame of shot {label}"'
                ' loading="lazy">'
            )
        else:
            picture = f'<span class="placeholder" aria-label="No hero frame yet">{label}</span>'
        marks = ""
        if approved:
            who = escape(approved_by or "someone")
            marks = (
                f'<p class="approved-mark">Approved &middot; take {approved_take or ""} &middot;'
                f" by {who}</p>"
            )
        if circled_version:
            marks += f'<p class="version-mark">v{circled_version} circled of {versions}</p>'
        menu = ""
        if self.can_edit:
            head, tail = self.menu_url
            menu = (
                f'<details class="card-menu"><summary aria-label="Actions for shot {label}">&ctdot;'
                f'</summary><a href="{head}{pk}{tail}">Edit, move or delete&hellip;</a></details>'
            )
        frame = self.frames.get(aspect)
        if frame is None:
            shape = aspect.replace(":", "x")
            frame = self.frames[aspect] = "" if shape == DEFAULT_ASPECT else f" ar-{escape(shape)}"
        action = f'<p class="action">{escape(action)}</p>' if action else ""
        dialogue = f'<p class="dialogue">{escape(dialogue)}</p>' if dialogue else ""
        status_class, status_text = self.statuses.get(status) or (escape(status), escape(status))
        head, tail = self.shot_url
        # Kept short: it is repeated 500 times. What only a script needs (drag, the picture as
        # a link, the menu's fetch) is set up by static/js/storyboard.js; the label and the
        # menu link are plain links (relative to the board page, the only page that shows
        # cards), so the board works without JS.
        return (
            f'<li class="shot-card status-{status_class}" id="shot-{pk}"><div class="frame'
            f'{frame}">{picture}</div><div class="shot-meta"><p class="card-head">'
            f'<a class="label" href="{head}{pk}{tail}">{label}</a>'
            f' <span class="status">{status_text}</span></p>{marks}'
            f'<p class="subject">{escape(subject) or "&mdash;"}</p>{action}{dialogue}'
            f'<p class="specs">{self._specs(size, seconds, model)}</p>'
            f'<p class="camera">Camera: {self._camera(moves)}</p></div>{menu}</li>'
        )

    def cards(self, rows: list[tuple]) -> SafeString:
        return mark_safe("".join(map(self.card, rows)))  # noqa: S308 — escaped above


@register.simple_tag
def shot_card(shot: Shot, membership: Membership) -> SafeString:
    painter = CardPainter(shot.project_id, can_edit=membership.can_edit)
    return mark_safe(painter.card(card_for(shot)))  # noqa: S308 — the painter escapes
