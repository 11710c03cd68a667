"""The recommender on the compare page: only models this studio can run now, each priced for
this shot from the rate cards, and the shot's current target always listed."""

import dataclasses
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import RateCard
from projects.registry import _build
from projects.selectors.design import shot_recommendations
from providers.capabilities import CAPABILITIES
from providers.core.capabilities import RETIRED, Lifecycle
from tests.factories import ShotFactory
from tests.queries import SESSION

# Pinned (issue 15: at most 8): session, user, membership with project, the shot, its
# references (shot_spec); every provider account in one read, for the previews' platform notes
# and whether each provider's keys are there; the rate cards once; the project's and the
# studio's prompt templates once (issue 16); the top bar's unread notifications. Never one
# read per model or per provider.
COMPARE_QUERIES = SESSION + 8


@pytest.fixture
def dialogue_shot(scene):
    # Six seconds of talking in 16:9 with sound: Seedance and Veo lead, the silent models trail.
    return ShotFactory(
        scene=scene,
        label="2B",
        target_model="runway-gen4-turbo",
        duration_seconds=6,
        audio=True,
        subject="Mara",
        action="says goodbye",
    )


def ranked(shot) -> list[str]:
    return [rec.model for rec in shot_recommendations(shot)]


def test_only_models_with_keys_are_ranked_and_the_current_one_always_is(db, dialogue_shot):
    # No provider has keys in the test settings: nothing can be recommended but the current
    # target is still listed, marked, so the page says where the shot stands.
    recs = shot_recommendations(dialogue_shot)
    assert [(rec.model, rec.current) for rec in recs] == [("runway-gen4-turbo", True)]


def test_with_keys_every_provider_competes_and_each_has_its_price(simulator, dialogue_shot):
    recs = shot_recommendations(dialogue_shot)
    models = [rec.model for rec in recs]
    assert "previz" not in models
    assert len(recs) == 6  # the five best and the current target, which ranks lower
    assert recs[-1].model == "runway-gen4-turbo" and recs[-1].current
    priced = {rec.model: rec.price for rec in recs if rec.price.startswith("up to $")}
    assert {"seedance-1.5-pro", "runway-gen4-turbo"} <= set(priced)


def test_a_model_that_could_not_go_at_once_gets_no_one_click_switch(simulator, dialogue_shot):
    RateCard.objects.filter(model="seedance-1.5-pro").delete()
    recs = {rec.model: rec for rec in shot_recommendations(dialogue_shot)}
    # Seedance leads for dialogue but has no rate card now; Runway Gen-4 Turbo (the current
    # target) makes silent clips. Either way, switching to it would leave Generate disabled.
    assert recs["seedance-1.5-pro"].not_ready.startswith("No rate card prices it yet")
    assert recs["runway-gen4-turbo"].not_ready.startswith("Fix ")
    for rec in recs.values():
        assert (rec.price == "no price yet") == rec.not_ready.startswith("No rate card")


def test_a_model_without_a_rate_card_says_no_price_yet(simulator, dialogue_shot):
    RateCard.objects.filter(model="runway-gen4-turbo").delete()
    current = next(rec for rec in shot_recommendations(dialogue_shot) if rec.current)
    assert current.price == "no price yet"


def test_a_retired_model_is_never_offered(simulator, dialogue_shot, monkeypatch):
    best = ranked(dialogue_shot)[0]
    gone = Lifecycle(status=RETIRED, retires_on=timezone.localdate() - timedelta(days=1))
    monkeypatch.setitem(CAPABILITIES, best, dataclasses.replace(CAPABILITIES[best], lifecycle=gone))
    assert best not in ranked(dialogue_shot)


def test_a_provider_without_keys_drops_out(simulator, dialogue_shot, monkeypatch):
    assert any(model.startswith("seedance") for model in ranked(dialogue_shot))
    monkeypatch.delenv("ARK_API_KEY")
    _build.cache_clear()
    assert not any(model.startswith("seedance") for model in ranked(dialogue_shot))


def test_the_compare_page_offers_only_runnable_models_with_prices(
    client, editor, project, simulator, dialogue_shot, django_assert_num_queries
):
    client.force_login(editor)
    url = reverse("projects:shot-compare", args=[project.pk, dialogue_shot.pk])
    with django_assert_num_queries(COMPARE_QUERIES):
        html = client.get(url).content.decode()
    section = html.split('class="card recommendations"')[1].split("</section>")[0]
    assert section.count("<li id=") == 6
    assert re.search(
        r'id="recommend-runway-gen4-turbo">.*?<span class="status">current</span>', section, re.S
    )
    assert "up to $" in section
    # One-click switches only to models the shot could go on at once.
    for item in section.split("<li id=")[1:]:
        assert ("not-ready" in item) != ('name="model"' in item or "current" in item)
    assert 'value="previz"' not in section
