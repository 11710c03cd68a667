from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict | None, key: str):
    """mapping[key] in a template, or an empty list when there is nothing under the key."""
    return (mapping or {}).get(key, [])
