"""A storyboard scene's section and header as HTML (docs/decisions/012-board-swaps-what-changed.md).

The board's template loops over 31 scenes at studio scale; as template markup each scene cost
about a third of a millisecond of lookups and tags (four CSRF fields, six URLs, a dozen ifs),
a third of the page once the cards were painted in Python. Here a scene is a few string formats,
values escaped once, URLs from one reverse() per route, the CSRF field worked out once per page.

    {% scene_section scene %}  the whole <section> (header, cards, the quick-add form)
    {% scene_sections scenes %}  every scene's section, in order (the board)
    {% add_scene_fields scene_form %}  the board's "Add a scene" fields
    {% scene_header scene %}   the header alone (a scene edit's answer, a card edit's out-of-band)

Both read from the template's context: membership (who may edit), oob / header_oob (an
out-of-band swap), failed_scene + quick_form (a refused quick add shows the form's errors).
"""

from __future__ import annotations

from html import escape

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from projects.models import Scene

from .board import SceneLinks, ascii_html

register = template.Library()

QUICK_FIELDS = (
    '<label>Add a shot: <input name="add-{pk}-subject" placeholder="Subject, e.g. the keeper'
    ' climbs the stairs" maxlength="300"></label>\n'
    '<input type="hidden" name="add-{pk}-shot_size" value="ms">\n'
    '<input type="hidden" name="add-{pk}-duration_seconds" value="5">'
)
OOB = ' hx-swap-oob="true"'


def _once(context, key: str, make):
    """A value worked out once per rendering of the page (the template's render context)."""
    cache = context.render_context
    if key not in cache:
        cache[key] = make()
    return cache[key]


def _csrf(context) -> str:
    def field() -> str:
        token = context.get("csrf_token")
        if not token or token == "NOTPROVIDED":
            return ""
        return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)

    return _once(context, "scene_csrf", field)


def _links(context, scene: Scene) -> dict[str, str]:
    project_id = scene.project_id
    return _once(context, f"scene_links_{project_id}", lambda: SceneLinks(project_id)).of(scene.pk)


def _price(scene: Scene) -> tuple[str, str]:
    estimate = getattr(scene, "estimate", None)
    price = f"up to ${estimate:.2f}" if estimate else "free"
    unpriced = getattr(scene, "unpriced", None)
    if unpriced:
        return price, f" (no price yet: {ascii_html(escape(', '.join(unpriced)))})"
    return price, ""


def _header(context, scene: Scene, links: dict[str, str], *, oob: bool) -> str:
    number = scene.number
    actions = ""
    if context["membership"].can_edit:
        price, unpriced = _price(scene)
        csrf, move, delete, edit = _csrf(context), links["move"], links["delete"], links["edit"]
        count = len(getattr(scene, "cards", ()))
        actions = (
            '<div class="scene-actions">\n'
            f'<form method="post" action="{move}" class="inline"\nhx-post="{move}">\n{csrf}\n'
            '<button type="submit" name="direction" value="earlier" class="small"'
            f' aria-label="Move scene {number} earlier" title="Earlier">&#9650;</button>\n'
            '<button type="submit" name="direction" value="later" class="small"'
            f' aria-label="Move scene {number} later" title="Later">&#9660;</button>\n</form>\n'
            f'<form method="post" action="{links["generate"]}" class="inline">\n{csrf}<button'
            ' type="submit" class="small primary" title="Generate every shot marked ready">'
            f"Generate ready shots &middot; {price}{unpriced}</button>\n</form>\n"
            f'<a class="button small" href="{edit}"\nhx-get="{edit}"'
            ' hx-target="closest .scene-header" hx-swap="outerHTML">Edit scene</a>\n'
            f'<form method="post" action="{delete}" class="inline"\nhx-post="{delete}"'
            f' hx-confirm="Delete scene {number} and its {count} shot(s)?">\n'
            f'{csrf}<button type="submit" class="small danger">Delete scene</button>\n</form>\n'
            "</div>\n"
        )
    description = ""
    if scene.description:
        description = f'<p class="scene-description">{ascii_html(escape(scene.description))}</p>\n'
    heading = ascii_html(escape(scene.heading))  # "1. Harbour — Quay, Dawn"
    return (
        f'<header class="scene-header" id="scene-head-{scene.pk}"{OOB if oob else ""}>\n'
        f"<h2>{heading}</h2>\n{description}"
        f'<a class="button small" href="{links["animatic"]}"'
        f' aria-label="Play scene {number} as an animatic">Play scene</a>\n{actions}</header>'
    )


@register.simple_tag(takes_context=True)
def scene_header(context, scene: Scene) -> SafeString:
    html = _header(context, scene, _links(context, scene), oob=bool(context.get("header_oob")))
    return mark_safe(html)  # noqa: S308 — every value escaped above


def _section(context, scene: Scene) -> str:
    links = _links(context, scene)
    pk = scene.pk
    quick_add = ""
    if context["membership"].can_edit:
        if context.get("failed_scene") == pk:
            fields = render_to_string(
                "partials/form_fields.html", {"form": context.get("quick_form")}
            )
        else:
            fields = QUICK_FIELDS.format(pk=pk)
        add = links["add_shot"]
        quick_add = (
            f'<form class="quick-add" method="post" action="{add}"\nhx-post="{add}">\n'
            f"{_csrf(context)}\n{fields}\n"
            '<button type="submit" class="small primary">Add shot</button>\n</form>\n'
        )
    empty = (
        ""
        if getattr(scene, "cards", None)
        else '<li class="empty">No shots in this scene yet.</li>'
    )
    return (
        f'<section class="scene" id="scene-{pk}" data-scene-id="{pk}"'
        f"{OOB if context.get('oob') else ''}>\n{_header(context, scene, links, oob=False)}\n"
        f'<ol class="shot-grid" data-scene-id="{pk}" aria-label="Shots of scene {scene.number}">'
        f"\n{getattr(scene, 'cards_html', '')}{empty}\n</ol>\n{quick_add}</section>"
    )


@register.simple_tag(takes_context=True)
def scene_section(context, scene: Scene) -> SafeString:
    return mark_safe(_section(context, scene))  # noqa: S308 — every value escaped above


@register.simple_tag(takes_context=True)
def scene_sections(context, scenes: list[Scene]) -> SafeString:
    """Every scene's section, the board's 31 at studio scale in one pass: one tag, one string
    marked safe once (a template loop over {% scene_section %} cost 60 µs a scene)."""
    return mark_safe("\n".join(_section(context, scene) for scene in scenes))  # noqa: S308


# The board's "Add a scene" form, empty, as Django renders SceneForm(prefix="new-scene") through
# partials/form_fields.html, whitespace aside: its six widgets through the form templates cost
# about 1 ms a page. tests/projects/test_storyboard.py checks that the two stay the same.
ADD_SCENE_FIELDS = (
    '<div class="field" id="field-new-scene-number">\n<label for="id_new-scene-number">Number'
    '</label><input type="number" name="new-scene-number" min="0"'
    ' aria-describedby="id_new-scene-number_helptext" id="id_new-scene-number">\n'
    '<small class="help" id="id_new-scene-number_helptext">Scene number from the script.</small>'
    "\n</div>\n"
    '<div class="field" id="field-new-scene-title">\n<label for="id_new-scene-title">Title'
    '</label><input type="text" name="new-scene-title" maxlength="120" required'
    ' id="id_new-scene-title">\n</div>\n'
    '<div class="field" id="field-new-scene-location">\n<label for="id_new-scene-location">'
    'Location</label><input type="text" name="new-scene-location" maxlength="120"'
    ' id="id_new-scene-location">\n</div>\n'
    '<div class="field" id="field-new-scene-time_of_day">\n<label for="id_new-scene-time_of_day">'
    'Time of day</label><input type="text" name="new-scene-time_of_day" maxlength="40"'
    ' id="id_new-scene-time_of_day">\n</div>\n'
    '<div class="field" id="field-new-scene-description">\n'
    '<label for="id_new-scene-description">Description</label><textarea'
    ' name="new-scene-description" cols="40" rows="2" id="id_new-scene-description">\n'
    "</textarea>\n</div>\n"
    '<div class="field" id="field-new-scene-budget">\n<label for="id_new-scene-budget">Budget'
    '</label><input type="number" name="new-scene-budget" step="0.01"'
    ' aria-describedby="id_new-scene-budget_helptext" id="id_new-scene-budget">\n'
    '<small class="help" id="id_new-scene-budget_helptext">Optional cap for this scene, in USD.'
    "</small>\n</div>\n"
)


@register.simple_tag
def add_scene_fields(form) -> SafeString:
    """The "Add a scene" form's fields: the constant above when empty, Django's rendering (with
    what was typed and its errors) after a refused add."""
    if form is None or form.is_bound:
        return render_to_string("partials/form_fields.html", {"form": form})
    return mark_safe(ADD_SCENE_FIELDS)  # noqa: S308 — a constant
