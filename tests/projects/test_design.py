"""Model-aware design through the real views: live preview, pre-flight, compare, presets."""

import html as htmllib

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects.models import Shot, TeamPreset
from tests.factories import SHOT_FORM_FIELDS, ShotFactory, shot_form_data


def text(response) -> str:
    return htmllib.unescape(response.content.decode())


VEO_DURATION = "Veo 3.1 makes clips of 4, 6 or 8 seconds; this shot is 5 s."


@pytest.fixture
def veo_shot(scene):
    return ShotFactory(scene=scene, target_model="veo-3.1", duration_seconds=5, subject="Mara")


def test_the_editor_shows_what_the_target_model_will_be_sent(client, viewer, project, veo_shot):
    client.force_login(viewer)
    html = text(client.get(reverse("projects:shot", args=[project.pk, veo_shot.pk])))
    assert "What Veo 3.1 will be sent" in html
    assert '"durationSeconds": 5' in html
    assert (
        '<div class="preflight" id="preflight-duration_seconds" aria-live="polite">'
        f"<p>{VEO_DURATION}</p>" in html
    )


def test_live_preview_answers_for_the_form_as_typed_and_saves_nothing(
    client, editor, project, veo_shot
):
    client.force_login(editor)
    response = client.post(
        reverse("projects:shot-preview", args=[project.pk, veo_shot.pk]),
        shot_form_data(veo_shot, duration_seconds=8, target_model="kling-2.6-std", pan=6),
        HTTP_HX_REQUEST="true",
    )
    html = text(response)
    assert response.status_code == 200
    assert "What Kling 2.6 Standard will be sent" in html
    assert '"duration": "5"' not in html
    assert 'id="preflight-duration_seconds" hx-swap-oob="true"' in html
    assert "Kling 2.6 Standard makes clips of 5 or 10 seconds; this shot is 8 s." in html
    veo_shot.refresh_from_db()
    assert (veo_shot.target_model, veo_shot.duration_seconds, veo_shot.pan) == ("veo-3.1", 5, 0)


def test_live_preview_clears_a_fixed_problem(client, editor, project, veo_shot):
    client.force_login(editor)
    html = text(
        client.post(
            reverse("projects:shot-preview", args=[project.pk, veo_shot.pk]),
            shot_form_data(veo_shot, duration_seconds=8),
        )
    )
    assert VEO_DURATION not in html
    assert "✓ Ready for Veo 3.1" in html


def test_live_preview_shows_typing_mistakes_on_their_field(client, editor, project, veo_shot):
    client.force_login(editor)
    html = text(
        client.post(
            reverse("projects:shot-preview", args=[project.pk, veo_shot.pk]),
            shot_form_data(veo_shot, beats="she turns", duration_seconds="x"),
        )
    )
    assert "Line 1: start with the second it happens, e.g. “2s: she turns”." in html
    assert "Enter a whole number." in html


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.dictionaries(
        st.sampled_from(SHOT_FORM_FIELDS),
        st.one_of(
            st.text(max_size=40),
            st.integers(-(10**6), 10**6),
            st.sampled_from(
                [
                    "veo-3.1",
                    "kling-2.6-pro",
                    "seedance-1.5-pro",
                    "higgsfield-dop-lite",
                    "4k",
                    "9:16",
                    "ready",
                    "crane_up",
                    "fr",
                    "xx",
                    "",
                    "-11",
                    "11",
                    "8",
                    "10",
                ]
            ),
        ),
    )
)
def test_any_typed_input_gets_messages_never_a_crash(client, editor, project, veo_shot, fields):
    client.force_login(editor)
    veo_shot.refresh_from_db()  # examples share the shot: post from the version saved last
    data = shot_form_data(veo_shot, **{k: str(v) for k, v in fields.items()})
    preview = client.post(reverse("projects:shot-preview", args=[project.pk, veo_shot.pk]), data)
    assert preview.status_code == 200
    save = client.post(reverse("projects:shot", args=[project.pk, veo_shot.pk]), data)
    assert save.status_code in (302, 422)


def test_ready_needs_a_clean_pre_flight(client, editor, project, veo_shot):
    client.force_login(editor)
    url = reverse("projects:shot", args=[project.pk, veo_shot.pk])
    response = client.post(url, shot_form_data(veo_shot, status="ready"))
    assert response.status_code == 422
    assert (
        "This shot cannot be marked ready yet: fix the pre-flight problems for "
        "Google Veo 3.1 first." in text(response)
    )
    assert Shot.objects.get(pk=veo_shot.pk).status == "draft"
    response = client.post(url, shot_form_data(veo_shot, status="ready", duration_seconds=8))
    assert response.status_code == 302
    assert Shot.objects.get(pk=veo_shot.pk).status == "ready"


def test_compare_shows_every_model_and_recommendations(
    client, viewer, project, veo_shot, monkeypatch
):
    # Only models the studio can run are recommended: Seedance needs its key.
    from projects.registry import _build

    monkeypatch.setenv("ARK_API_KEY", "ark-test-key")
    _build.cache_clear()
    veo_shot.dialogue = "MARA: Not tonight."
    veo_shot.audio = True
    veo_shot.save()
    client.force_login(viewer)
    html = text(client.get(reverse("projects:shot-compare", args=[project.pk, veo_shot.pk])))
    for slug in (
        "previz",
        "veo-3.1",
        "kling-2.6-pro",
        "runway-gen4.5",
        "seedance-1.5-pro",
        "higgsfield-dop-lite",
    ):
        assert f'id="compare-{slug}"' in html
    assert VEO_DURATION in html
    assert "Recommended for this shot" in html
    assert 'id="recommend-seedance-1.5-pro"' in html
    assert "Use Seedance 1.5 Pro" not in html  # viewers see, never change


def test_one_click_applies_a_recommended_model(client, editor, project, veo_shot):
    client.force_login(editor)
    response = client.post(
        reverse("projects:shot-use-model", args=[project.pk, veo_shot.pk]),
        {"model": "seedance-1.5-pro"},
    )
    assert response.status_code == 302
    assert Shot.objects.get(pk=veo_shot.pk).target_model == "seedance-1.5-pro"


def test_an_unknown_model_is_refused_with_a_message(client, editor, project, veo_shot):
    client.force_login(editor)
    response = client.post(
        reverse("projects:shot-use-model", args=[project.pk, veo_shot.pk]),
        {"model": "sora-9"},
        follow=True,
    )
    assert "Choose one of the studio's models." in text(response)
    assert Shot.objects.get(pk=veo_shot.pk).target_model == "veo-3.1"


def test_a_built_in_preset_applies_in_one_click(client, editor, project, veo_shot):
    client.force_login(editor)
    client.post(
        reverse("projects:shot-apply-preset", args=[project.pk, veo_shot.pk]),
        {"preset": "slow-dolly-in"},
    )
    shot = Shot.objects.get(pk=veo_shot.pk)
    assert (shot.target_model, shot.duration_seconds, shot.dolly, shot.resolution) == (
        "kling-2.6-pro",
        5,
        3,
        "1080p",
    )
    assert shot.style == "intimate, shallow depth of field"


def test_a_team_saves_its_own_preset_and_applies_it(client, editor, project, veo_shot, scene):
    veo_shot.pan, veo_shot.style, veo_shot.duration_seconds = -4, "noir", 8
    veo_shot.save()
    client.force_login(editor)
    client.post(
        reverse("projects:preset-create", args=[project.pk, veo_shot.pk]),
        {"preset-name": "Noir pan", "preset-description": "Our look"},
    )
    preset = TeamPreset.objects.get(project=project)
    assert (preset.name, preset.pan, preset.style, preset.target_model) == (
        "Noir pan",
        -4,
        "noir",
        "veo-3.1",
    )
    other = ShotFactory(scene=scene)
    client.post(
        reverse("projects:shot-apply-preset", args=[project.pk, other.pk]),
        {"preset": f"team-{preset.pk}"},
    )
    other.refresh_from_db()
    assert (other.pan, other.style, other.duration_seconds) == (-4, "noir", 8)
    html = text(client.get(reverse("projects:shot", args=[project.pk, other.pk])))
    assert "★ Noir pan" in html


def test_a_duplicate_preset_name_is_told_on_the_form(client, editor, project, veo_shot):
    client.force_login(editor)
    url = reverse("projects:preset-create", args=[project.pk, veo_shot.pk])
    client.post(url, {"preset-name": "Noir"})
    response = client.post(url, {"preset-name": "Noir"})
    assert response.status_code == 422
    assert "This project already has a preset called Noir." in text(response)
    assert TeamPreset.objects.count() == 1


def test_another_projects_preset_cannot_be_applied(client, editor, project, veo_shot):
    foreign = TeamPreset.objects.create(
        project=ShotFactory().project, name="Theirs", target_model="previz", duration_seconds=3
    )
    client.force_login(editor)
    response = client.post(
        reverse("projects:shot-apply-preset", args=[project.pk, veo_shot.pk]),
        {"preset": f"team-{foreign.pk}"},
        follow=True,
    )
    assert "That preset no longer exists." in text(response)
    assert Shot.objects.get(pk=veo_shot.pk).duration_seconds == 5


def test_a_voice_sample_is_kept_and_served_to_members(client, editor, project, veo_shot):
    from django.core.files.uploadedfile import SimpleUploadedFile

    wav = b"RIFF" + (36).to_bytes(4, "little") + b"WAVEfmt " + bytes(24) + b"data" + bytes(4)
    client.force_login(editor)
    url = reverse("projects:shot", args=[project.pk, veo_shot.pk])
    data = shot_form_data(veo_shot, voice_upload=SimpleUploadedFile("mara.wav", wav))
    assert client.post(url, data).status_code == 302
    response = client.get(reverse("projects:shot-voice", args=[project.pk, veo_shot.pk]))
    assert response["Content-Type"] == "audio/wav"
    assert b"".join(response.streaming_content) == wav


def test_a_voice_sample_that_is_not_audio_is_refused(client, editor, project, veo_shot):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    url = reverse("projects:shot", args=[project.pk, veo_shot.pk])
    data = shot_form_data(
        veo_shot, subject="Typed", voice_upload=SimpleUploadedFile("mara.wav", b"<html>")
    )
    response = client.post(url, data)
    assert response.status_code == 422
    assert "Upload a voice sample as WAV, MP3 or M4A audio." in text(response)
    assert Shot.objects.get(pk=veo_shot.pk).subject == "Mara"


def test_the_editor_offers_a_hero_frame_prompt(client, viewer, project, veo_shot):
    client.force_login(viewer)
    html = text(client.get(reverse("projects:shot", args=[project.pk, veo_shot.pk])))
    assert "Hero frame prompt (Higgsfield Cinema Studio)" in html
    assert "Cinematic still frame, sharp focus, no motion blur." in html


def test_what_the_veo_platform_will_not_send_is_listed_as_ignored(client, viewer, project, scene):
    shot = ShotFactory(scene=scene, target_model="veo-3.1", duration_seconds=8, seed=7)
    client.force_login(viewer)
    html = text(client.get(reverse("projects:shot", args=[project.pk, shot.pk])))
    assert "seed: the Gemini API takes no seed (Vertex AI does)" in html
    assert "generateAudio: the Gemini API always makes audio with Veo 3.x" in html
