"""The simulator against Kling's documented contract, with no adapter code in the loop.

Kling publishes no official Python SDK, so the stand-in is a client written from the docs
alone: their own `encode_jwt_token` example, plain HTTP calls to the documented paths, and the
documented response examples (tests/providers/kling/fixtures) as the shape to match.
"""

import base64
import json
import time
from pathlib import Path

import httpx
import jwt
import pytest

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
FIXTURES = Path(__file__).parent / "fixtures"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def documented(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def encode_jwt_token(ak, sk):
    """Verbatim from Kling's "API Authentication" section."""
    headers = {"alg": "HS256", "typ": "JWT"}
    payload = {
        "iss": ak,
        "exp": int(time.time()) + 1800,
        "nbf": int(time.time()) - 5,
    }
    token = jwt.encode(payload, sk, headers=headers)
    return token


@pytest.fixture
def client(simulator):
    ak, sk = simulator.sim.credentials["kling"]
    headers = {
        "Authorization": f"Bearer {encode_jwt_token(ak, sk)}",
        "Content-Type": "application/json",
    }
    with httpx.Client(base_url=simulator.base_url("kling"), headers=headers, timeout=5) as c:
        yield c


def test_documented_text2video_flow(client):
    created = client.post(
        "/v1/videos/text2video",
        json={
            "model_name": "kling-v2-6",
            "prompt": "A sunset over mountains, small figure walking away.",
            "mode": "pro",
            "sound": "on",
            "aspect_ratio": "9:16",
            "duration": "10",
            "callback_url": "",
            "external_task_id": "take-7",
        },
    )
    assert created.status_code == 200
    body = created.json()
    example = documented("create_documented.json")
    assert body.keys() == example.keys() and body["code"] == 0
    assert body["data"].keys() == example["data"].keys()
    assert body["data"]["task_status"] == "submitted"
    assert body["data"]["task_info"] == {"external_task_id": "take-7"}
    assert body["data"]["created_at"] > 1_700_000_000_000  # milliseconds
    task_id = body["data"]["task_id"]

    statuses = []
    for _ in range(100):
        answer = client.get(f"/v1/videos/text2video/{task_id}").json()
        statuses.append(answer["data"]["task_status"])
        if statuses[-1] in ("succeed", "failed"):
            break
        time.sleep(0.05)
    assert statuses[0] == "submitted" and "processing" in statuses and statuses[-1] == "succeed"
    example = documented("query_succeed_documented.json")
    assert answer.keys() == example.keys()
    assert set(answer["data"]) == set(example["data"])
    video = answer["data"]["task_result"]["videos"][0]
    assert {"id", "url", "duration"} <= set(video) and isinstance(video["duration"], str)
    float(answer["data"]["final_unit_deduction"])  # a number, sent as a string

    # The same task by our own id, and in the list.
    by_external = client.get("/v1/videos/text2video/take-7").json()
    assert by_external["data"]["task_id"] == task_id
    listed = client.get("/v1/videos/text2video", params={"pageNum": 1, "pageSize": 30}).json()
    assert [t["task_id"] for t in listed["data"]] == [task_id]

    mp4 = httpx.get(video["url"]).content
    assert mp4[4:8] == b"ftyp"


def test_image2video_takes_raw_base64_not_a_data_uri(client):
    png = base64.b64encode(PNG).decode()
    ok = client.post(
        "/v1/videos/image2video",
        json={"model_name": "kling-v2-6", "mode": "std", "duration": "5", "image": png},
    )
    assert ok.json()["code"] == 0
    refused = client.post(
        "/v1/videos/image2video",
        json={"model_name": "kling-v2-6", "image": f"data:image/png;base64,{png}"},
    )
    assert refused.status_code == 400 and refused.json()["code"] == 1201
    task_id = ok.json()["data"]["task_id"]
    # Queried at the resource that accepted it, not the other one.
    assert client.get(f"/v1/videos/image2video/{task_id}").json()["code"] == 0
    assert client.get(f"/v1/videos/text2video/{task_id}").json()["code"] == 1201


def test_concurrency_answer_matches_the_documented_body(simulator, client):
    simulator.sim.add_fault("kling", "busy")
    answer = client.post("/v1/videos/text2video", json={"model_name": "kling-v2-6", "prompt": "x"})
    example = documented("error_1303_documented.json")
    assert answer.status_code == 429
    assert answer.json().keys() == example.keys()
    assert answer.json()["code"] == 1303 and answer.json()["message"] == example["message"]


def test_out_of_credit_answers_429_with_code_1102(simulator, client):
    simulator.sim.add_fault("kling", "quota")
    answer = client.post("/v1/videos/text2video", json={"model_name": "kling-v2-6", "prompt": "x"})
    # The docs' error body has the same three members as the 1303 example.
    assert answer.status_code == 429
    assert answer.json().keys() == documented("error_1303_documented.json").keys()
    assert answer.json()["code"] == 1102
    assert simulator.sim.jobs == {}


@pytest.mark.parametrize(
    "claims, code",
    [
        ({"exp": -60, "nbf": -120}, 1004),  # expired
        ({"exp": 1800, "nbf": 600}, 1003),  # not yet valid
    ],
)
def test_token_times_are_checked(simulator, claims, code):
    ak, sk = simulator.sim.credentials["kling"]
    now = int(time.time())
    token = jwt.encode(
        {"iss": ak, "exp": now + claims["exp"], "nbf": now + claims["nbf"]}, sk, algorithm="HS256"
    )
    answer = httpx.get(
        simulator.base_url("kling") + "/v1/videos/text2video/1",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 401 and answer.json()["code"] == code


def test_missing_authorization_is_1001(simulator):
    answer = httpx.get(simulator.base_url("kling") + "/v1/videos/text2video/1")
    assert answer.status_code == 401
    assert answer.json()["code"] == 1001 and answer.json()["message"] == "Authorization is empty"


def test_there_is_no_cancel(client):
    answer = client.delete("/v1/videos/text2video/1")
    assert answer.status_code == 404 and answer.json()["code"] == 1202


def test_unknown_model_is_1203(client):
    answer = client.post("/v1/videos/text2video", json={"model_name": "kling-v9", "prompt": "x"})
    assert answer.status_code == 404 and answer.json()["code"] == 1203
