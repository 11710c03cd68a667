"""Sora 2 and OpenAI's Videos API were shut down on 2026-09-24 with no replacement [V:
developers.openai.com/api/docs/models/sora-2]: no catalog entry, catalogue default or
simulated catalogue may offer it."""

from pathlib import Path

from providers.capabilities import CAPABILITIES
from providers.core.catalog import STILL_MODELS, VIDEO_MODELS
from providers.simulator import higgsfield as hf_sim

ROOT = Path(__file__).resolve().parents[3]


def test_no_catalog_or_catalogue_entry_is_sora():
    names = [*VIDEO_MODELS, *STILL_MODELS]
    assert not [n for n in names if "sora" in f"{n[0]} {n[1]}".lower()]
    assert not [c for c in CAPABILITIES.values() if "sora" in f"{c.api_model} {c.catalogue_id}"]
    assert not [row for row in hf_sim.CATALOGUE_ROWS if "sora" in " ".join(row).lower()]
    assert not [slug for slug in hf_sim.HOSTED_VIDEO if "sora" in slug.lower()]


def test_no_code_under_providers_or_projects_mentions_sora():
    found = [
        str(path.relative_to(ROOT))
        for folder in ("providers", "projects")
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
        and path.suffix in (".py", ".html", ".json", ".txt", ".md")
        and "sora" in path.read_text(encoding="utf-8", errors="replace").lower()
    ]
    assert found == []
