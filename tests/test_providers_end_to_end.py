"""Every provider end to end: a real worker (with beat) on the configured broker and database,
the provider simulator speaking each API's contract, and takes that end as they should.

On CI this runs on Redis + PostgreSQL; the simulator is a thread of the test process on
loopback. Each take's request must reach the simulator at most once. The worker is the shared
one (`pipeline_worker`, tests/support/pipeline.py) unless a test needs other settings.
"""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw

from projects.images import clean_uploaded_image
from projects.models import Take, TakeState
from projects.registry import _build
from projects.selectors.books import books_out_of_balance
from projects.selectors.design import shot_preflight
from projects.services.shot_media import shot_set_hero_frame
from providers.core.media import probe
from providers.simulator.server import SimulatorServer
from tests.factories import MembershipFactory, SceneFactory, ShotFactory
from tests.support import pipeline
from tests.support.pipeline import simulator_env
from tests.support.workers import celery_worker, wait_for

# The fixture lives in tests/support/pipeline.py (a plugin of tests/conftest.py); named here too
# for the test modules that import it from this one.
simulator = pipeline.simulator

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

SHOTS = {
    "veo-3.1": dict(duration_seconds=8),
    "kling-2.6-std": dict(duration_seconds=5),
    "kling-3.0-std": dict(duration_seconds=5),  # the static API key, billed per second
    "runway-gen4-turbo": dict(duration_seconds=5),
    "seedance-1.5-pro": dict(duration_seconds=5),
    "higgsfield-dop-turbo": dict(duration_seconds=5),
}
PROVIDER_OF = {
    "veo-3.1": "gemini",
    "kling-2.6-std": "kling",
    "kling-3.0-std": "kling",
    "runway-gen4-turbo": "runway",
    "seedance-1.5-pro": "seedance",
    "higgsfield-dop-turbo": "higgsfield",
}


def hero_upload() -> SimpleUploadedFile:
    image = Image.new("RGB", (1280, 720), (25, 35, 70))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1280, 80):
        draw.rectangle([x, 0, x + 39, 720], fill=(220, 170, 60))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("hero.png", buffer.getvalue(), content_type="image/png")


def make_shot(model: str):
    membership = MembershipFactory(role="editor")
    scene = SceneFactory(project=membership.project)
    shot = ShotFactory(
        scene=scene,
        label="1A",
        target_model=model,
        resolution="720p",
        aspect_ratio="16:9",
        subject="A keeper",
        action="lifts a storm lantern",
        **SHOTS[model],
    )
    shot_set_hero_frame(shot=shot, image=clean_uploaded_image(hero_upload()))
    assert shot_preflight(shot) == {}, shot_preflight(shot)
    return membership.user, shot


def generate(client, user, shot) -> Take:
    client.force_login(user)
    response = client.post(reverse("projects:take-create", args=[shot.project_id, shot.pk]))
    assert response.status_code == 302
    take = Take.objects.filter(shot=shot).first()
    assert take is not None, [m.message for m in response.wsgi_request._messages]
    return take


def final_state(take: Take, timeout: float = 90) -> Take:
    wait_for(lambda: Take.objects.get(pk=take.pk).is_finished, timeout=timeout, interval=0.3)
    return Take.objects.get(pk=take.pk)


def submissions(server: SimulatorServer, prefix: str) -> int:
    return sum(1 for provider, _ in server.sim.submissions if provider == prefix)


@pytest.mark.parametrize("model", list(SHOTS))
def test_each_provider_makes_a_playable_take_with_a_cost(client, simulator, pipeline_worker, model):
    user, shot = make_shot(model)
    take = final_state(generate(client, user, shot))
    assert take.state == TakeState.SUCCEEDED, (take.error_kind, take.error_message)
    assert probe(take.video.path).codec == "h264"
    assert take.estimated_cost is not None and take.estimated_cost > 0
    take.project.refresh_from_db()
    assert take.project.spent > 0 and take.project.reserved == 0
    assert submissions(simulator, PROVIDER_OF[model]) == 1


MODEL_OF: dict[str, str] = {}
for _model, _provider in PROVIDER_OF.items():
    MODEL_OF.setdefault(_provider, _model)  # the faults play on each provider's first model

FAULTS = [
    # (fault, final state, error kind, words the filmmaker reads, submissions that reached the
    # provider). The words are what the take card shows: its error, or for a take that
    # succeeded the note its history kept while it waited. Where they are the provider's own
    # (a dict), the fault is played on every provider; the studio's own words, on Seedance.
    (
        "moderation",
        TakeState.REJECTED,
        "rejected",
        {
            "gemini": "You have not been charged for this request. Try rephrasing your prompt.",
            "kling": "Kling refused it: Failure to pass the risk control system",
            "runway": "Runway's safety filter refused the prompt or image: The prompt was flagged",
            "seedance": "Seedance's safety filter refused it: The generated video may contain",
            "higgsfield": "Higgsfield's safety filter flagged this request as NSFW",
        },
        1,
    ),
    (
        "fail",
        TakeState.FAILED,
        "failed",
        {
            "gemini": "Video generation failed due to an internal error. Please try again.",
            "kling": "Kling: Video generation failed, please try again later",
            "runway": "Runway failed to generate the video: An unexpected error occurred",
            "seedance": "Seedance failed: The video generation failed",
            "higgsfield": "Higgsfield failed the request: Generation failed",
        },
        1,
    ),
    # Made and billed, but the link was dead: charged at its cost, and it can be fetched again.
    (
        "expired_url",
        TakeState.RESULT_LOST,
        "result_lost",
        "The result is no longer at the provider (HTTP 403): its link has probably expired.",
        1,
    ),
    (
        "server_error",
        TakeState.NEEDS_CHECK,
        "unknown_outcome",
        "Seedance: The service encountered an unexpected internal error.",
        0,
    ),
    (
        "malformed",
        TakeState.NEEDS_CHECK,
        "unknown_outcome",
        "Seedance answered with something that is not JSON",
        0,
    ),
    # The provider may or may not have it.
    (
        "timeout",
        TakeState.NEEDS_CHECK,
        "unknown_outcome",
        "Seedance did not answer in time after the request was sent.",
        None,
    ),
    # Waits its turn (the simulator's Retry-After is 2 s), then goes once.
    (
        "rate_limit",
        TakeState.SUCCEEDED,
        "",
        "Provider busy, trying again in 2 s: Seedance: Request rate has exceeded the RPM limit",
        1,
    ),
    # Out of credit: refused before any job existed, so nothing is charged and the hold goes.
    (
        "quota",
        TakeState.FAILED,
        "quota",
        {
            "gemini": "Veo (Gemini API): Your prepayment credits are depleted.",
            "kling": "Kling: Account balance not enough (code 1102",
            "runway": "Runway: You do not have enough credits to run this task.",
            "seedance": "Seedance: The request failed because your account has an overdue balance.",
            "higgsfield": "Higgsfield: Not enough credits",
        },
        0,
    ),
]
FAULT_CASES = [
    pytest.param(fault, provider, state, kind, words, sent, id=f"{fault}-{provider}")
    for fault, state, kind, expected, sent in FAULTS
    for provider, words in (
        expected.items() if isinstance(expected, dict) else [("seedance", expected)]
    )
]


def history(take: Take) -> str:
    return "\n".join(event.message for event in take.events.all())


@pytest.mark.parametrize(("fault", "provider", "state", "kind", "words", "sent"), FAULT_CASES)
def test_faults_end_in_the_right_state_and_nothing_is_sent_twice(
    client, simulator, pipeline_worker, fault, provider, state, kind, words, sent
):
    user, shot = make_shot(MODEL_OF[provider])
    simulator.sim.add_fault(provider, fault)
    take = final_state(generate(client, user, shot), timeout=120)
    assert take.state == state, (take.error_kind, take.error_message)
    assert take.error_kind == kind
    shown = history(take) if state == TakeState.SUCCEEDED else take.error_message
    assert words and words in shown, shown
    if state == TakeState.SUCCEEDED:
        assert take.error_message == ""
    assert simulator.sim.faults.get(provider) in (None, []), "the fault was never played"
    count = submissions(simulator, provider)
    assert count <= 1
    if sent is not None:
        assert count == sent
    take.project.refresh_from_db()
    held = take.project.reserved
    assert held == (take.estimated_cost if state == TakeState.NEEDS_CHECK else 0)
    if state in (TakeState.SUCCEEDED, TakeState.RESULT_LOST):
        cost = take.actual_cost if take.actual_cost is not None else take.estimated_cost
        assert take.project.spent == cost
    else:
        assert take.project.spent == 0
    assert books_out_of_balance() == []


def test_runway_throttled_waits_then_succeeds(client, simulator, pipeline_worker):
    user, shot = make_shot("runway-gen4-turbo")
    simulator.sim.add_fault("runway", "busy")
    take = final_state(generate(client, user, shot))
    assert take.state == TakeState.SUCCEEDED
    assert submissions(simulator, "runway") == 1


# A worker of its own: the shared one holds the right key.
def test_a_bad_key_fails_with_the_providers_message(client, simulator, tmp_path, media_root):
    env = {**simulator_env(simulator), "ARK_API_KEY": "wrong-key"}
    os.environ["ARK_API_KEY"] = "wrong-key"
    _build.cache_clear()
    user, shot = make_shot("seedance-1.5-pro")
    with celery_worker(pipeline=True, tmp_path=tmp_path, log_path=tmp_path / "worker.log", env=env):
        take = final_state(generate(client, user, shot))
    assert take.state == TakeState.FAILED
    assert take.error_kind == "auth"
    assert "API key" in take.error_message
