"""{% live_bar place %}: the who's-here bar, and the addresses static/js/live.js works from."""

from __future__ import annotations

from django import template

from projects.selectors.live import push_available

register = template.Library()


@register.inclusion_tag("projects/live.html#live-bar", takes_context=True)
def live_bar(context, shot=None) -> dict:
    """On the board without an argument, on a shot's page with the shot."""
    return {
        "project": context["project"],
        "shot": shot,
        "place": f"shot-{shot.pk}" if shot is not None else "board",
        "me": context["request"].user.get_username(),
        # Push needs Redis and an ASGI server; without them the page polls.
        "streaming": push_available(context["request"]),
    }
