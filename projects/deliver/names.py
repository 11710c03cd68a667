"""File names for what leaves the studio: readable, and safe in any file system."""


def safe_stem(name: str, limit: int = 60) -> str:
    """Letters and digits of `name` joined by single dashes: no path, no quotes, no spaces."""
    stem = "".join(c if c.isalnum() else "-" for c in name)
    return "-".join(part for part in stem.split("-") if part)[:limit] or "project"
