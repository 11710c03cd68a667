"""Runway simulator details the adapter and SDK tests do not reach."""

import httpx

from tests.providers.runway.conftest import wait

BODY = {"model": "gen4.5", "promptText": "x", "ratio": "1280:720", "duration": 2}


def headers(simulator, **extra):
    return {
        "Authorization": f"Bearer {simulator.sim.credentials['runway']}",
        "X-Runway-Version": "2024-11-06",
        **extra,
    }


def test_the_version_header_is_required(simulator):
    answer = httpx.post(
        simulator.base_url("runway") + "/v1/text_to_video",
        json=BODY,
        headers={"Authorization": f"Bearer {simulator.sim.credentials['runway']}"},
    )
    assert answer.status_code == 400
    assert "X-Runway-Version" in answer.json()["error"]


def test_gen4_turbo_has_no_text_to_video(simulator):
    answer = httpx.post(
        simulator.base_url("runway") + "/v1/text_to_video",
        json={**BODY, "model": "gen4_turbo"},
        headers=headers(simulator),
    )
    assert answer.status_code == 400
    assert answer.json()["issues"][0]["path"] == ["model"]


def test_image_urls_must_be_https_on_a_domain(simulator):
    url = simulator.base_url("runway") + "/v1/image_to_video"
    for image, message in [
        ("http://example.com/a.png", "Only HTTPS URLs are allowed."),
        ("https://11.22.33.44/a.png", "URLs must be hosted on a domain."),
        ("data:image/gif;base64,R0lG", "Invalid data URI. Unsupported asset type."),
    ]:
        answer = httpx.post(url, json={**BODY, "promptImage": image}, headers=headers(simulator))
        assert answer.status_code == 400
        assert answer.json()["issues"] == [
            {"code": "custom", "path": ["promptImage"], "message": message}
        ]


def test_out_of_credits_is_a_400_once_the_body_is_valid(simulator):
    # What a task costs depends on its body, so credits are checked after validation [I].
    simulator.sim.add_fault("runway", "quota")
    url = simulator.base_url("runway") + "/v1/text_to_video"
    invalid = httpx.post(url, json={**BODY, "duration": 12}, headers=headers(simulator))
    assert invalid.json()["error"] == "Validation of body failed"
    answer = httpx.post(url, json=BODY, headers=headers(simulator))
    assert answer.status_code == 400
    assert answer.json() == {"error": "You do not have enough credits to run this task."}
    assert simulator.sim.jobs == {} and simulator.sim.faults["runway"] == []


def test_deleting_a_finished_task_deletes_it_and_its_output(simulator, runway):
    base = simulator.base_url("runway")
    task_id = httpx.post(base + "/v1/text_to_video", json=BODY, headers=headers(simulator)).json()[
        "id"
    ]
    progress, _ = wait(runway, task_id)
    assert httpx.delete(f"{base}/v1/tasks/{task_id}", headers=headers(simulator)).status_code == 204
    assert httpx.get(f"{base}/v1/tasks/{task_id}", headers=headers(simulator)).status_code == 404
    assert httpx.get(progress.result_url).status_code == 403


def test_a_full_account_throttles_new_tasks(simulator):
    base = simulator.base_url("runway")
    ids = [
        httpx.post(base + "/v1/text_to_video", json=BODY, headers=headers(simulator)).json()["id"]
        for _ in range(simulator.sim.concurrency + 1)
    ]
    last = httpx.get(f"{base}/v1/tasks/{ids[-1]}", headers=headers(simulator)).json()
    assert last["status"] == "THROTTLED"
    first = httpx.get(f"{base}/v1/tasks/{ids[0]}", headers=headers(simulator)).json()
    assert first["status"] in ("PENDING", "RUNNING")


def test_wrong_method_is_405(simulator):
    answer = httpx.get(
        simulator.base_url("runway") + "/v1/text_to_video", headers=headers(simulator)
    )
    assert answer.status_code == 405
