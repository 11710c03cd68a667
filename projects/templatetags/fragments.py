"""Markup built once per version of what it shows, then shared by every request that shows the
same thing: {% shared_fragment "name" key %}…{% endshared_fragment %}.

`key` names everything the markup depends on (built with projects.selectors.take_card.markup_key,
e.g. from every column of a take and the viewer's role); an empty key renders without the cache
(a form with errors, a card with one person's refund form). Keys are versioned, so nothing goes
stale: a change makes a new key and the old entry simply ages out. The cache is Django's
(locmem, or Redis when REDIS_URL is set), so the key also carries the language, the time zone
and the templates' own version.

The CSRF token is per visitor: the cached markup holds a slot where `{% csrf_token %}` put its
value, and each request fills the slot with its own token.
"""

from __future__ import annotations

import hashlib
from functools import cache as once
from pathlib import Path

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# PostgreSQL text cannot hold NUL and forms refuse it, so no shown value contains the slot.
CSRF_SLOT = "\x00csrf-slot\x00"
TIMEOUT = 24 * 60 * 60  # a day: old versions leave by themselves


@once
def templates_version() -> str:
    """The templates as deployed: markup cached by an older release is never reused."""
    digest = hashlib.blake2b(digest_size=8)
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).rglob("*.html")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def full_key(name: str, key: str) -> str:
    return ":".join(
        (
            "fragment",
            name,
            templates_version(),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            key,
        )
    )


def shared_markup(name: str, key: str, token: str) -> SafeString | None:
    """The markup already built for `key`, with this visitor's CSRF token; None if not built."""
    markup = cache.get(full_key(name, key)) if key else None
    return None if markup is None else mark_safe(markup.replace(CSRF_SLOT, token))  # noqa: S308


def is_shared(name: str, key: str) -> bool:
    """Whether the markup for `key` is already built, so a view can skip reading what only
    building it needs."""
    return bool(key) and cache.has_key(full_key(name, key))


class SharedFragmentNode(template.Node):
    def __init__(self, name: str, key: template.base.FilterExpression, nodelist, timeout: int):
        self.name, self.key, self.nodelist, self.timeout = name, key, nodelist, timeout

    def render(self, context) -> SafeString:
        key = self.key.resolve(context)
        token = context.get("csrf_token")
        if not key or token is None or str(token) == "NOTPROVIDED":
            return self.nodelist.render(context)
        full = full_key(self.name, key)
        markup = cache.get(full)
        if markup is None:
            with context.push(csrf_token=CSRF_SLOT):
                markup = str(self.nodelist.render(context))
            cache.set(full, markup, self.timeout)
        return mark_safe(markup.replace(CSRF_SLOT, str(token)))  # noqa: S308 (rendered markup)


@register.tag
def shared_fragment(parser, token) -> SharedFragmentNode:
    """{% shared_fragment "name" key [seconds] %}…{% endshared_fragment %}: seconds, when
    given, for markup whose key changes often (it need not wait a day to leave)."""
    bits = token.split_contents()
    if len(bits) not in (3, 4) or (len(bits) == 4 and not bits[3].isdigit()):
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name, a key and maybe seconds.")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    timeout = int(bits[3]) if len(bits) == 4 else TIMEOUT
    return SharedFragmentNode(
        bits[1].strip("\"'"), parser.compile_filter(bits[2]), nodelist, timeout
    )
