"""The shot page's "What will be sent" reads in words first, the raw parameters behind a
toggle, and the live preview says a camera move in words on every model, previz included."""

import html as htmllib

from django.urls import reverse

from tests.factories import ShotFactory, shot_form_data


def text(response) -> str:
    return htmllib.unescape(response.content.decode())


def test_the_preview_reads_in_words_with_raw_parameters_behind_a_toggle(
    client, viewer, project, scene
):
    shot = ShotFactory(scene=scene, duration_seconds=5, aspect_ratio="16:9", pan=4, dolly=3)
    client.force_login(viewer)
    html = text(client.get(reverse("projects:shot", args=[project.pk, shot.pk])))
    assert (
        '<p class="sent-summary" id="sent-summary">'
        "5 s · 16:9 · 720p · no audio · camera: pan right +4, dolly in +3</p>" in html
    )
    toggle = html.split('<details class="raw-params">')[1].split("</details>")[0]
    assert "<summary>Raw parameters</summary>" in toggle
    assert 'id="compiled-params"' in toggle


def test_the_live_preview_says_a_new_move_in_words_on_previz_and_on_runway(
    client, editor, project, scene
):
    shot = ShotFactory(scene=scene, duration_seconds=5, resolution="720p")
    client.force_login(editor)
    url = reverse("projects:shot-preview", args=[project.pk, shot.pk])
    previz = text(client.post(url, shot_form_data(shot, pan=-6), HTTP_HX_REQUEST="true"))
    assert "5 s · 16:9 · 720p · no audio · camera: pan left \u22126</p>" in previz
    runway = text(
        client.post(
            url,
            shot_form_data(shot, pan=-6, target_model="runway-gen4.5"),
            HTTP_HX_REQUEST="true",
        )
    )
    assert "camera: pan left \u22126 (in words, in the prompt)</p>" in runway
