"""Take -> GenerationRequest: what the adapter is sent, rebuilt from the take's snapshot."""

from __future__ import annotations

from django.core.files.storage import default_storage

from projects.models import Take
from projects.registry import webhook_url
from projects.selectors.snapshots import spec_from_dict
from providers.core.base import GenerationRequest, InputImage


def generation_request(take: Take) -> GenerationRequest:
    images = tuple(
        InputImage(path=default_storage.path(i["name"]), sha256=i["sha256"], role=i["role"])
        for i in take.input_images
    )
    return GenerationRequest(
        take_id=take.pk,
        model=take.model,
        prompt=take.prompt,
        params=take.params,
        spec=spec_from_dict(take.spec),
        images=images,
        options=request_options(take),
        request_key=str(take.request_key),
    )


def request_options(take: Take) -> dict:
    options: dict = {"burn_in": True}
    callback = webhook_url(take.provider)
    if callback:
        options["callback_url"] = callback
    return options
