"""Models Higgsfield hosts from its catalogue: offered only while the account's catalogue
(GET /models, cached by the adapter) lists them; "Test connection" says which of ours it has."""

import pytest

from projects.registry import ProviderUnavailable, provider_for_model
from projects.services.provider_checks import provider_check
from providers.simulator import higgsfield as hf_sim
from providers.simulator.core import default_credentials

pytestmark = pytest.mark.django_db


@pytest.fixture
def turbo_only(simulator):
    """The studio's Higgsfield key, its catalogue narrowed to DoP Turbo for this test only
    (the session's simulator keeps its accounts between tests)."""
    state = hf_sim.state(simulator.sim)
    saved = dict(state["accounts"])
    key_id, secret = default_credentials()["higgsfield"]
    hf_sim.add_account(simulator.sim, key_id, secret, ("higgsfield-ai/dop/turbo",))
    yield
    state["accounts"] = saved


def test_the_default_account_offers_hosted_models(simulator):
    provider = provider_for_model("higgsfield-veo-3.1")
    assert provider.slug == "higgsfield"


def test_a_model_missing_from_the_catalogue_is_refused_in_plain_words(turbo_only):
    assert provider_for_model("higgsfield-dop-turbo").slug == "higgsfield"
    with pytest.raises(ProviderUnavailable) as caught:
        provider_for_model("higgsfield-kling-3.0")
    assert str(caught.value) == (
        "Kling 3.0 via Higgsfield is unavailable: your Higgsfield account's catalogue does not "
        "list Kling 3.0 via Higgsfield (kling-video/v3.0/std/image-to-video). Ask Higgsfield "
        "to enable it, or pick another model."
    )


def test_test_connection_names_what_the_account_lacks(turbo_only):
    check = provider_check(slug="higgsfield")
    assert check.ok
    assert "Your Higgsfield account has Higgsfield DoP Turbo but not Higgsfield DoP Lite" in (
        check.message
    )
    assert check.models == ("higgsfield-ai/dop/turbo",)


@pytest.fixture
def kling_shot(simulator):
    from decimal import Decimal

    from projects.images import clean_uploaded_image
    from projects.models import RateCard
    from projects.services.shot_media import shot_set_hero_frame
    from tests.factories import MembershipFactory, SceneFactory, ShotFactory
    from tests.test_providers_end_to_end import hero_upload

    # Higgsfield publishes no price we could verify (providers.md 5.4): staff add their own.
    RateCard.objects.create(
        model="higgsfield-kling-3.0",
        unit="second",
        price=Decimal("0.10"),
        effective="2026-01-01",
        source="our account's invoice",
    )
    membership = MembershipFactory(role="editor")
    shot = ShotFactory(
        scene=SceneFactory(project=membership.project),
        target_model="higgsfield-kling-3.0",
        resolution="720p",
        aspect_ratio="16:9",
        duration_seconds=5,
        subject="A keeper",
        action="lifts a storm lantern",
    )
    shot_set_hero_frame(shot=shot, image=clean_uploaded_image(hero_upload()))
    return membership.user, shot


def queue_take(client, user, shot):
    from django.urls import reverse

    from projects.models import Take

    client.force_login(user)
    response = client.post(reverse("projects:take-create", args=[shot.project_id, shot.pk]))
    assert response.status_code == 302
    return Take.objects.get(shot=shot)


def test_a_hosted_model_take_is_sent_to_its_catalogue_application(client, kling_shot, simulator):
    from projects.models import TakeState
    from projects.pipeline.submit import take_submit

    take = queue_take(client, *kling_shot)
    take_submit(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.RUNNING, (take.error_kind, take.error_message)
    ((provider, body),) = simulator.sim.submissions
    assert provider == "higgsfield"
    assert set(body) == {"prompt", "image_url", "duration", "aspect_ratio"}
    assert simulator.sim.jobs[take.remote_id].model == "kling-video/v3.0/std/image-to-video"


def test_a_model_the_account_lost_after_the_offer_fails_unbilled(client, kling_shot, simulator):
    from projects.models import TakeState
    from projects.pipeline.submit import take_submit

    take = queue_take(client, *kling_shot)  # offered: the catalogue listed it then
    state = hf_sim.state(simulator.sim)
    state["locked"].add("kling-video/v3.0/std/image-to-video")
    try:
        take_submit(take.pk)
    finally:
        state["locked"].clear()
    take.refresh_from_db()
    assert take.state == TakeState.FAILED
    assert take.error_kind == "model_retired"
    assert take.error_message == (
        "Higgsfield no longer serves Kling 3.0 via Higgsfield to this studio: choose another "
        "model. Nothing was made and nothing was charged. (Higgsfield: this account cannot use "
        "the model, which is not in its catalogue or is locked (Model is locked for this "
        "account (HTTP 423)).)"
    )
    assert simulator.sim.submissions == []
    take.project.refresh_from_db()
    assert take.project.spent == 0 and take.project.reserved == 0


def test_soul_is_offered_for_hero_frames_only_when_the_catalogue_lists_it(simulator, turbo_only):
    from projects.selectors.frames import still_unavailable_reason

    assert still_unavailable_reason("higgsfield-soul") == (
        "Higgsfield Soul is unavailable: your Higgsfield account's catalogue does not list "
        "Higgsfield Soul (higgsfield-ai/soul/standard). Ask Higgsfield to enable it, or pick "
        "another model."
    )


def test_soul_is_offered_on_an_account_that_has_it(simulator):
    from projects.selectors.frames import still_unavailable_reason

    assert still_unavailable_reason("higgsfield-soul") == ""
