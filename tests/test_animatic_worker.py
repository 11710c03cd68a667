"""The animatic from the Render button to the file, through a real worker and the render queue:
a take made at the simulator and circled, a hero frame and a title card, one MP4."""

from __future__ import annotations

import json
import subprocess

import pytest
from django.urls import reverse

from projects.models import Deliverable, DeliverableState, TakeState
from projects.services.takes import take_circle
from tests.factories import ShotFactory
from tests.support.workers import wait_for
from tests.test_providers_end_to_end import final_state, generate, hero_upload, make_shot

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def ffprobe(path: str) -> dict:
    command = ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", path]
    return json.loads(subprocess.run(command, capture_output=True, check=True).stdout)


@pytest.mark.timeout(400)
def test_a_render_of_a_circled_take_a_frame_and_a_title_is_one_mp4(
    client, simulator, pipeline_worker
):
    from projects.images import clean_uploaded_image
    from projects.services.shot_media import shot_set_hero_frame

    user, shot = make_shot("kling-2.6-std")
    take = final_state(generate(client, user, shot))
    assert take.state == TakeState.SUCCEEDED, (take.error_kind, take.error_message)
    take_circle(take=take, user=user)
    type(shot).objects.filter(pk=shot.pk).update(
        order=0
    )  # first on the board, whatever the factory
    framed = ShotFactory(scene=shot.scene, label="1B", order=5, duration_seconds=2)
    shot_set_hero_frame(shot=framed, image=clean_uploaded_image(hero_upload()))
    ShotFactory(scene=shot.scene, label="1C", order=6, duration_seconds=2, action="Dawn.")

    client.force_login(user)
    url = reverse("projects:exports", args=[shot.project_id])
    response = client.post(url, {"kind": "animatic", "scene": shot.scene_id, "resolution": "720p"})
    assert response.status_code == 302
    made = Deliverable.objects.get()
    wait_for(lambda: Deliverable.objects.get(pk=made.pk).finished, timeout=300, interval=0.5)
    made.refresh_from_db()
    assert made.state == DeliverableState.READY, made.error

    probed = ffprobe(made.file.path)
    video = [s for s in probed["streams"] if s["codec_type"] == "video"]
    audio = [s for s in probed["streams"] if s["codec_type"] == "audio"]
    assert len(video) == 1 and len(audio) == 1
    assert (video[0]["width"], video[0]["height"]) == (1280, 720)
    assert video[0]["r_frame_rate"] == "24/1"
    expected = shot.duration_seconds + 2 + 2
    assert abs(float(probed["format"]["duration"]) - expected) <= 1 / 24 + 0.03
    assert [(row["label"], row["source"], row["take"]) for row in made.manifest] == [
        (shot.label, "take", take.pk),
        ("1B", "frame", None),
        ("1C", "title", None),
    ]
