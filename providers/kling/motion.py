"""Kling motion control: a character image performs the motion of a reference video
(providers.md §3.2, §9). Provider side only: the studio has no reference-video input yet, so
nothing in `projects` builds one of these.

POST /v1/videos/motion-control; the task is read back at /v1/videos/motion-control/{task_id}
with the same envelope, statuses and result as text2video. Fields [3P: a copy of Kling's page
in cuijinyu/new-api's docs, 2026; docs.comfy.org KlingMotionControl node]: `image_url` (URL or
raw base64, jpg/png ≤10 MB), `video_url` (mp4/mov ≤100 MB, ≥3 s), `character_orientation`
("image": ≤10 s of motion, "video": ≤30 s), `mode` (std/pro), `keep_original_sound` ("yes" /
"no"), optional `prompt` (≤2500), `model_name` (`kling-v2-6`, `kling-v3`), `callback_url`,
`external_task_id`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from providers.core.base import Rejected
from providers.kling.contract import MOTION_CONTROL, image_value

MODELS = ("kling-v2-6", "kling-v3")
ORIENTATIONS = ("image", "video")


@dataclass(frozen=True)
class MotionControl:
    image: str  # the character: a local file (sent as raw base64) or an https URL
    video_url: str  # the motion: a URL Kling can fetch
    character_orientation: str = "image"
    mode: str = "std"
    prompt: str = ""
    keep_original_sound: bool = True
    model_name: str = "kling-v2-6"
    request_key: str = ""  # our external_task_id, as for a take
    callback_url: str = ""


def build_motion_control(job: MotionControl) -> tuple[str, dict[str, Any]]:
    """(path, JSON body); Rejected with plain words for what Kling would refuse."""
    if job.model_name not in MODELS:
        raise Rejected(f"Kling motion control runs on {' or '.join(MODELS)}, not {job.model_name}.")
    if job.character_orientation not in ORIENTATIONS:
        raise Rejected("Kling motion control faces the character as the image or as the video.")
    if job.mode not in ("std", "pro"):
        raise Rejected(f"Kling motion control mode is std or pro, not {job.mode!r}.")
    if not job.video_url.startswith(("https://", "http://")):
        raise Rejected("Kling motion control needs the reference video as a URL it can fetch.")
    if len(job.prompt) > 2500:
        raise Rejected("Kling takes at most 2500 characters of prompt.")
    body: dict[str, Any] = {
        "model_name": job.model_name,
        "image_url": image_value(job.image),
        "video_url": job.video_url,
        "character_orientation": job.character_orientation,
        "mode": job.mode,
        "keep_original_sound": "yes" if job.keep_original_sound else "no",
    }
    if job.prompt:
        body["prompt"] = job.prompt
    if job.callback_url:
        body["callback_url"] = job.callback_url
    if job.request_key:
        body["external_task_id"] = job.request_key
    return f"/v1/videos/{MOTION_CONTROL}", body
