"""The account's catalogue (`GET /models`), its spend (`GET /models/usage`) and the request a
catalogue video model is sent: pure build/parse (docs/providers.md 5.4, 9).

What the sources say, and how sure:
- `GET /models` lists the models *this account* can call; `GET /models/usage` gives the
  estimated cost in USD; a model the account cannot use answers 404 or 423 at submit, a busy
  one 503 [V: docs.higgsfield.ai, read 2026-12-01].
- The catalogue's shape, `{"items": [{slug, title, description, operation_type, output_type,
  base_credits}]}`, and that a slug is the application path a request is POSTed to (404
  `{"detail": "model_not_found"}` otherwise) [3P: two projects' live probes of 2026-08-01 and
  2026-10-04]. `operation_type` came back as a string in one and a list in the other, so both
  are read. A `path`/`endpoint` field, if the redesigned schemas add one, wins over the slug [I].
- The usage answer's shape is not documented anywhere we could read [I]: the total and the
  per-model figures are read from the few names such an answer would use, and a figure we
  cannot find stays None rather than a guessed 0.
- Catalogue video models' request bodies are "being redesigned" [V]; we send the minimum
  every one of them is seen taking [I]: `prompt`, `image_url`, `duration`, `aspect_ratio`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from providers.core.base import GenerationRequest, Transient


@dataclass(frozen=True)
class CatalogueEntry:
    slug: str  # the catalogue's id for the model, e.g. "higgsfield-ai/dop/turbo"
    title: str = ""
    output_type: str = ""  # "video" | "image" | ...
    operation_types: tuple[str, ...] = ()
    base_credits: Decimal | None = None
    path: str = ""  # where requests go: the entry's own path, else "/" + slug

    @property
    def application(self) -> str:
        return self.path or "/" + self.slug.lstrip("/")


@dataclass(frozen=True)
class Usage:
    """`GET /models/usage`: Higgsfield's own estimate, in USD, of what the account spent."""

    total_usd: Decimal | None
    by_model: dict[str, Decimal] = field(default_factory=dict)
    raw: Any = None


def parse_catalogue(payload: Any) -> dict[str, CatalogueEntry]:
    """GET /models -> {slug: entry}. A shape we cannot read is an error, never "no models"."""
    items = payload.get("items") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        raise Transient(f"Higgsfield sent a model list we cannot read: {payload!r}"[:300])
    entries: dict[str, CatalogueEntry] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("slug"), str):
            continue
        operations = item.get("operation_type") or ()
        if isinstance(operations, str):
            operations = (operations,)
        path = item.get("path") or item.get("endpoint") or ""
        entries[item["slug"]] = CatalogueEntry(
            slug=item["slug"],
            title=str(item.get("title") or ""),
            output_type=str(item.get("output_type") or ""),
            operation_types=tuple(str(o) for o in operations),
            base_credits=_decimal(item.get("base_credits")),
            path=("/" + path.lstrip("/")) if isinstance(path, str) and path else "",
        )
    return entries


def parse_usage(payload: Any) -> Usage:
    """GET /models/usage -> Usage. Field names are [I] (undocumented): see the module doc."""
    if not isinstance(payload, dict):
        raise Transient(f"Higgsfield sent a usage answer we cannot read: {payload!r}"[:300])
    total = _first_decimal(payload, ("total_usd", "estimated_cost_usd", "total_cost_usd", "total"))
    by_model: dict[str, Decimal] = {}
    items = payload.get("items") or payload.get("models") or []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        slug = item.get("slug") or item.get("model")
        cost = _first_decimal(item, ("estimated_cost_usd", "cost_usd", "usd", "cost"))
        if isinstance(slug, str) and cost is not None:
            by_model[slug] = by_model.get(slug, Decimal(0)) + cost
    if total is None and by_model:
        total = sum(by_model.values(), Decimal(0))
    return Usage(total_usd=total, by_model=by_model, raw=payload)


def build_catalogue_submit(
    request: GenerationRequest, *, application: str, image_url: str | None, webhook_url: str = ""
) -> tuple[str, dict[str, Any]]:
    """(path, JSON body) of the paid POST for a catalogue video model. Pure: the image is
    already uploaded. `request.params` carry what the formula chose, in these API names."""
    params = dict(request.params)
    params.pop("model", None)  # the model is the path, not a body field
    body: dict[str, Any] = {"prompt": request.prompt}
    if image_url:
        body["image_url"] = image_url
    body.update({k: v for k, v in params.items() if v is not None})
    path = "/" + application.lstrip("/")
    if webhook_url:
        path += "?hf_webhook=" + quote(webhook_url, safe="")
    return path, body


def _first_decimal(data: dict[str, Any], keys: tuple[str, ...]) -> Decimal | None:
    for key in keys:
        value = _decimal(data.get(key))
        if value is not None:
            return value
    return None


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
