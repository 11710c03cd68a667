"""Kling 3.0: the static API key beside the AK/SK JWT, its request, its errors and prices;
and motion control; against the simulator (providers.md §3.1, §3.2, §3.9, §3.11)."""

import base64
from dataclasses import replace
from decimal import Decimal

import httpx
import pytest

from providers.core.base import AuthFailed, InputImage, ModelRetired, Rejected, State
from providers.kling import contract
from providers.kling.adapter import KlingProvider
from providers.kling.motion import MotionControl
from providers.prices import quote
from providers.simulator.kling import API_KEY
from tests.providers.conftest import account, generation_request, make_spec
from tests.providers.kling.test_simulator import PNG, wait_until_finished

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")


def make(simulator, *, api_key=True, jwt=True, **overrides) -> KlingProvider:
    access, secret = simulator.sim.credentials["kling"]
    options = dict(
        base_url=simulator.base_url("kling"), simulator_origin=simulator.url, timeout=2.0
    )
    if api_key:
        options["api_key"] = API_KEY if api_key is True else api_key
    if jwt:
        options.update(access_key=access, secret_key=secret)
    options.update(overrides)
    return KlingProvider(account(**options), sleep=lambda seconds: None)


def shot(model="kling-3.0-pro", **overrides):
    return generation_request(
        model, duration_seconds=overrides.pop("duration_seconds", 12), **overrides
    )


def test_each_model_says_which_key_it_needs():
    jwt_only = KlingProvider(account(access_key="ak", secret_key="sk"))
    assert jwt_only.availability() == (True, "")
    assert jwt_only.availability("kling-v2-6") == (True, "")
    usable, reason = jwt_only.availability("kling-3.0-pro")
    assert not usable and "KLING_API_KEY" in reason and "Kling 3.0" in reason
    key_only = KlingProvider(account(api_key="key"))
    assert key_only.availability("kling-v3") == (True, "")
    usable, reason = key_only.availability("kling-2.6-pro")
    assert not usable and "KLING_ACCESS_KEY and KLING_SECRET_KEY" in reason
    usable, reason = KlingProvider().availability()
    assert not usable and "KLING_API_KEY" in reason and "KLING_ACCESS_KEY" in reason


def test_kling3_is_sent_with_the_api_key_and_runs_to_a_video(simulator):
    provider = make(simulator, jwt=False)
    submitted = provider.submit(shot(audio=True))
    ((_, body),) = simulator.sim.submissions
    assert body["model_name"] == "kling-v3" and body["mode"] == "pro"
    assert body["duration"] == "12" and body["sound"] == "on"
    progress, _ = wait_until_finished(provider, submitted.remote_id)
    assert progress.state == State.SUCCEEDED and progress.result_url


def test_one_account_with_both_keys_sends_each_model_its_own(simulator, tmp_path):
    provider = make(simulator)
    hero, end = tmp_path / "hero.png", tmp_path / "end.png"
    hero.write_bytes(PNG)
    end.write_bytes(PNG)
    request = replace(
        shot("kling-3.0-std", has_hero_frame=True, has_last_frame=True, audio=True),
        images=(InputImage(str(hero), "a" * 64), InputImage(str(end), "b" * 64, "last_frame")),
    )
    assert provider.submit(request).remote_id.startswith("image2video/")
    old = generation_request("kling-2.6-std", duration_seconds=5)
    assert provider.submit(replace(old, request_key="other")).remote_id.startswith("text2video/")
    models = [body["model_name"] for _, body in simulator.sim.submissions]
    assert models == ["kling-v3", "kling-v2-6"]
    assert base64.b64decode(simulator.sim.submissions[0][1]["image_tail"]) == PNG


def test_a_kling3_shot_without_the_api_key_is_refused_before_sending(simulator):
    with pytest.raises(AuthFailed, match="KLING_API_KEY"):
        make(simulator, api_key=False).submit(shot())
    assert simulator.sim.submissions == []


@pytest.mark.parametrize(
    "model, use_api_key, wanted",
    [("kling-v3", False, "takes the API key"), ("kling-v2-6", True, "takes an AK/SK JWT")],
)
def test_the_simulator_refuses_the_wrong_kind_of_key(simulator, model, use_api_key, wanted):
    provider = make(simulator)
    headers = provider.api_key_headers() if use_api_key else provider.jwt_headers()
    body = {"model_name": model, "prompt": "a hiker", "duration": "5"}
    answer = httpx.post(
        f"{simulator.base_url('kling')}/v1/videos/text2video", json=body, headers=headers
    )
    assert answer.status_code == 401 and answer.json()["code"] == 1002
    assert wanted in answer.json()["message"]
    assert simulator.sim.submissions == []


def test_a_model_kling_does_not_have_ends_model_retired(simulator):
    request = shot()
    request = replace(request, params={**request.params, "model_name": "kling-v3-gone"})
    with pytest.raises(ModelRetired, match=r"code 1203.*choose another model"):
        make(simulator).submit(request)


@pytest.mark.parametrize(
    "message, error",
    [("No permission to access the model kling-v3", ModelRetired), ("No permission", AuthFailed)],
)
def test_1103_is_model_retired_only_when_it_names_a_model(message, error):
    with pytest.raises(error):
        contract.parse_submit({"code": 1103, "message": message}, "text2video")


def test_check_connection_says_what_each_key_can_do(simulator):
    check = make(simulator).check_connection()
    assert check.ok and "the API key works (Kling 3.0)" in check.message
    assert "the access key and secret key works (Kling 2.6)" in check.message
    check = make(simulator, api_key=False).check_connection()
    assert check.ok and "Kling 3.0 cannot run without the API key" in check.message
    check = make(simulator, api_key="not-our-key", jwt=False).check_connection()
    assert not check.ok and "Kling refused the API key" in check.message
    check = KlingProvider().check_connection()
    assert not check.ok and "KLING_API_KEY" in check.message


def test_kling3_is_priced_per_second_by_resolution_and_sound():
    spec = make_spec(duration_seconds=10, resolution="720p")
    assert quote("kling-3.0-std", spec).amount == Decimal("0.8400")
    assert quote("kling-3.0-std", replace(spec, audio=True)).amount == Decimal("1.2600")
    spec = make_spec(duration_seconds=15, resolution="1080p", audio=True)
    assert quote("kling-3.0-pro", spec).amount == Decimal("2.5200")
    assert quote("kling-3.0-pro", replace(spec, audio=False)).amount == Decimal("1.6800")


# --- motion control (provider side only: the studio has no reference-video input yet) ------
def test_motion_control_runs_to_a_video_with_each_models_key(simulator, tmp_path):
    hero = tmp_path / "dancer.png"
    hero.write_bytes(PNG)
    provider = make(simulator)
    for model in ("kling-v2-6", "kling-v3"):
        job = MotionControl(
            image=str(hero),
            video_url="https://example.com/dance.mp4",  # never fetched by the simulator
            character_orientation="video",
            mode="pro",
            model_name=model,
            keep_original_sound=False,
            request_key=f"mc-{model}",
        )
        submitted = provider.submit_motion_control(job)
        assert submitted.remote_id.startswith("motion-control/")
        progress, _ = wait_until_finished(provider, submitted.remote_id)
        assert progress.state == State.SUCCEEDED and progress.result_url
    bodies = [body for _, body in simulator.sim.submissions]
    assert [body["model_name"] for body in bodies] == ["kling-v2-6", "kling-v3"]
    assert bodies[0]["keep_original_sound"] == "no"
    assert base64.b64decode(bodies[0]["image_url"]) == PNG


@pytest.mark.parametrize(
    "change, words",
    [
        ({"model_name": "kling-v1"}, "runs on kling-v2-6 or kling-v3"),
        ({"character_orientation": "left"}, "as the image or as the video"),
        ({"video_url": "/tmp/dance.mp4"}, "as a URL"),
    ],
)
def test_motion_control_refuses_what_kling_would_with_plain_words(simulator, change, words):
    job = MotionControl(image="https://example.com/a.png", video_url="https://example.com/b.mp4")
    with pytest.raises(Rejected, match=words):
        make(simulator).submit_motion_control(replace(job, **change))
    assert simulator.sim.submissions == []


def test_the_simulator_checks_motion_control_fields(simulator):
    provider = make(simulator)
    body = {"model_name": "kling-v2-6", "image_url": "https://example.com/a.png", "mode": "std"}
    answer = httpx.post(
        f"{simulator.base_url('kling')}/v1/videos/motion-control",
        json=body,
        headers=provider.jwt_headers(),
    )
    assert answer.status_code == 400 and answer.json()["code"] == 1201
    assert "video_url is required" in answer.json()["message"]
