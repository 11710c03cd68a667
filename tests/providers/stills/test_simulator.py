"""Every still model on every platform, end to end against the simulator: the image comes back
(inline or by link) as a real picture in the shot's shape; moderation and a bad key read as the
studio's Rejected and AuthFailed."""

import pytest

from providers.core.base import AuthFailed, Rejected, State
from tests.providers.stills.conftest import (
    IDS,
    PLATFORMS,
    SYNCHRONOUS,
    adapter_for,
    finish,
    image_bytes,
    shape,
    still_request,
)

# The small PNG's size for each ratio (long side 256), per platform's own pixel ratio.
EXPECTED_SIZE = {
    "gemini": (256, 144),
    "vertex": (256, 144),
    "seedance": (256, 144),  # 2848x1600
    "runway": (256, 144),  # 1920:1080
    "higgsfield": (256, 144),
}


@pytest.mark.parametrize(("slug", "prefix"), PLATFORMS, ids=IDS)
def test_a_still_comes_back_as_a_picture_in_the_shots_shape(simulator, tmp_path, slug, prefix):
    provider = adapter_for(simulator, prefix)
    submitted = provider.submit(still_request(slug))
    assert (submitted.finished is not None) == (prefix in SYNCHRONOUS)
    progress = finish(provider, submitted)
    assert progress.state is State.SUCCEEDED
    assert shape(image_bytes(provider, progress, tmp_path)) == ("PNG", EXPECTED_SIZE[prefix])


@pytest.mark.parametrize(("slug", "prefix"), PLATFORMS, ids=IDS)
def test_moderation_is_a_rejection_in_the_providers_words(simulator, slug, prefix):
    simulator.sim.add_fault(prefix, "moderation")
    provider = adapter_for(simulator, prefix)
    if prefix in SYNCHRONOUS:
        with pytest.raises(Rejected) as refused:
            provider.submit(still_request(slug))
        assert any(w in refused.value.message for w in ("IMAGE_SAFETY", "SensitiveContent"))
    else:
        progress = finish(provider, provider.submit(still_request(slug)))
        assert progress.state is State.REJECTED
        assert progress.error


@pytest.mark.parametrize(("slug", "prefix"), PLATFORMS, ids=IDS)
def test_a_bad_key_is_auth_failed_and_nothing_is_made(simulator, slug, prefix):
    provider = adapter_for(simulator, prefix, bad_key=True)
    with pytest.raises(AuthFailed):
        provider.submit(still_request(slug))
    assert simulator.sim.submissions == []


@pytest.mark.parametrize(("slug", "prefix"), PLATFORMS, ids=IDS)
def test_the_wire_body_is_what_the_formula_compiled(simulator, slug, prefix):
    provider = adapter_for(simulator, prefix)
    request = still_request(slug, aspect_ratio="9:16")
    provider.submit(request)
    (sent_to, body), *_ = simulator.sim.submissions
    assert sent_to == prefix
    text = str(body)
    assert request.prompt in text
    for value in request.params.values():
        assert str(value) in text or isinstance(value, bool)
