"""Hero-frame candidates: asked for, held, sent, saved and chosen as video takes are, with the
real previz still model (providers/previz/stills.py) and the pipeline's own steps."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from projects.models import LedgerEntry, RateCard, Shot, Take, TakeKind, TakeState
from projects.pipeline.download import take_download
from projects.pipeline.submit import STORED_RESULT, finished_at_once, take_submit
from projects.selectors.frames import chosen_frame_id, frame_candidates, frame_offers
from projects.services.frames import frame_choose, frames_request
from projects.services.takes import take_promote, take_retry
from providers.core.base import Progress, State, Submitted
from tests.factories import ShotFactory
from tests.queries import SESSION


def price_stills(per_image: str = "0.05", model: str = "previz-still") -> None:
    RateCard.objects.create(
        model=model,
        resolution="*",
        unit="image",
        price=Decimal(per_image),
        effective=timezone.localdate(),
        source="test",
    )


@pytest.fixture
def frame_shot(scene, render_queue):
    price_stills()
    return ShotFactory(scene=scene, label="2B", subject="A keeper climbs the lighthouse stairs")


def make_ready(take: Take) -> Take:
    take_submit(take.pk)
    take_download(take.pk)
    take.refresh_from_db()
    return take


def test_candidates_hold_their_price_and_settle_at_what_the_provider_bills(
    editor, project, frame_shot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as sent:
        takes = frames_request(shot=frame_shot, user=editor, model="previz-still", count=3)
    assert len(sent) == 3  # one submit message per candidate, after commit
    assert [t.number for t in takes] == [1, 2, 3]
    assert {(t.kind, t.model, t.provider, t.state) for t in takes} == {
        (TakeKind.FRAME, "previz-still", "previz", TakeState.QUEUED)
    }
    assert takes[0].estimated_cost == Decimal("0.05")
    assert takes[0].params == {"aspect_ratio": "16:9", "resolution": "720p"}
    assert takes[0].prompt.startswith("Cinematic still frame. A keeper climbs")
    project.refresh_from_db()
    assert project.reserved == Decimal("0.15")
    # A frame is not the shot's video: asking for candidates leaves the shot's status alone.
    assert Shot.objects.get(pk=frame_shot.pk).status == frame_shot.status

    for take in takes:
        make_ready(take)
    project.refresh_from_db()
    # Previz bills nothing: the holds are settled at the provider's own figure.
    assert (project.reserved, project.spent) == (Decimal(0), Decimal(0))
    assert LedgerEntry.objects.filter(take__in=takes, kind="settle").count() == 3


def test_a_candidate_goes_from_request_to_a_still_and_becomes_the_hero_frame(
    editor, frame_shot, django_capture_on_commit_callbacks
):
    (take,) = frames_request(shot=frame_shot, user=editor, model="previz-still")
    with django_capture_on_commit_callbacks(execute=False) as sent:
        take_submit(take.pk)
    take.refresh_from_db()
    # Previz answers synchronously with the picture: stored at once, then the download step.
    assert take.state == TakeState.DOWNLOADING
    assert take.result_url.startswith(STORED_RESULT)
    assert take.remote_id == f"still-{take.pk}" and take.running_at
    assert len(sent) == 1

    take_download(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.SUCCEEDED
    with Image.open(take.still.path) as still:
        assert (still.format, still.size) == ("JPEG", (1280, 720))
    assert take.thumbnail and (take.width, take.height) == (1280, 720)
    history = [event.state for event in take.events.all()]
    assert history == ["queued", "submitting", "running", "downloading", "succeeded"]

    shot = frame_choose(take=take, user=editor)
    assert shot.hero_frame and (shot.hero_width, shot.hero_height) == (1280, 720)
    assert chosen_frame_id(Shot.objects.get(pk=frame_shot.pk)) == take.pk


def test_candidates_follow_the_shots_aspect_ratio(editor, scene, render_queue):
    price_stills()
    shot = ShotFactory(scene=scene, aspect_ratio="9:16")
    (take,) = frames_request(shot=shot, user=editor, model="previz-still")
    take = make_ready(take)
    assert (take.width, take.height) == (720, 1280)


def test_the_same_request_in_flight_is_refused(editor, frame_shot):
    frames_request(shot=frame_shot, user=editor, model="previz-still", count=2)
    with pytest.raises(ValidationError) as error:
        frames_request(shot=frame_shot, user=editor, model="previz-still")
    assert "already being made (take 1, 2)" in error.value.messages[0]
    assert Take.objects.count() == 2


def test_more_candidates_of_the_same_request_once_the_first_are_ready(editor, frame_shot):
    (first,) = frames_request(shot=frame_shot, user=editor, model="previz-still")
    make_ready(first)
    again = frames_request(shot=frame_shot, user=editor, model="previz-still", count=2)
    assert [t.number for t in again] == [2, 3]


def test_an_unpriced_still_model_is_refused_with_a_message(editor, scene, render_queue):
    shot = ShotFactory(scene=scene)
    RateCard.objects.filter(model="previz-still").delete()  # as if staff removed its card
    with pytest.raises(ValidationError) as error:
        frames_request(shot=shot, user=editor, model="previz-still")
    assert error.value.messages == [
        "There is no price for Previz still at 720p yet, so it cannot be sent. "
        "Staff can add a rate card in the admin."
    ]
    assert not Take.objects.exists() and not LedgerEntry.objects.exists()


def test_a_model_that_is_not_connected_is_refused(editor, frame_shot):
    price_stills(model="nano-banana-pro")
    with pytest.raises(ValidationError) as error:
        frames_request(shot=frame_shot, user=editor, model="nano-banana-pro")
    assert "Nano Banana Pro is not connected in this studio yet" in error.value.messages[0]
    assert [o.slug for o in frame_offers(frame_shot)] == ["previz-still"]


def test_too_many_candidates_are_refused(editor, frame_shot):
    with pytest.raises(ValidationError) as error:
        frames_request(shot=frame_shot, user=editor, model="previz-still", count=5)
    assert error.value.messages == ["Ask for 1 to 4 candidates at a time."]


def test_over_budget_makes_no_candidate(editor, project, frame_shot):
    project.budget = Decimal("0.12")
    project.save()
    with pytest.raises(ValidationError) as error:
        frames_request(shot=frame_shot, user=editor, model="previz-still", count=3)
    assert error.value.messages[0].startswith("No candidates were asked for:")
    assert not Take.objects.exists()
    project.refresh_from_db()
    assert project.reserved == 0


def test_above_the_approval_threshold_candidates_wait(editor, project, frame_shot):
    project.approval_threshold = Decimal("0.01")
    project.save()
    takes = frames_request(shot=frame_shot, user=editor, model="previz-still", count=2)
    assert {t.state for t in takes} == {TakeState.AWAITING_APPROVAL}


def test_a_failed_answer_ends_the_take_and_releases_its_hold(editor, project, frame_shot):
    (take,) = frames_request(shot=frame_shot, user=editor, model="previz-still")
    Take.objects.filter(pk=take.pk).update(state=TakeState.SUBMITTING)
    refused = Progress(state=State.REJECTED, raw_status="blocked", error="Blocked by moderation.")
    finished_at_once(take, Submitted("r-1", raw_status="blocked", finished=refused))
    take.refresh_from_db()
    assert (take.state, take.error_message) == (TakeState.REJECTED, "Blocked by moderation.")
    project.refresh_from_db()
    assert project.reserved == 0


def test_a_result_that_is_not_an_image_is_lost_not_failed(editor, frame_shot):
    (take,) = frames_request(shot=frame_shot, user=editor, model="previz-still")
    Take.objects.filter(pk=take.pk).update(state=TakeState.SUBMITTING)
    junk = Progress(state=State.SUCCEEDED, raw_status="done", inline_result=b"<svg></svg>")
    finished_at_once(take, Submitted("r-2", raw_status="done", finished=junk))
    take_download(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.RESULT_LOST
    assert "not a JPEG, PNG or WebP image" in take.error_message


def test_only_a_ready_candidate_can_be_chosen(editor, frame_shot):
    (take,) = frames_request(shot=frame_shot, user=editor, model="previz-still")
    with pytest.raises(ValidationError) as error:
        frame_choose(take=take, user=editor)
    assert error.value.messages == ["Only a ready hero-frame candidate can become the hero frame."]


def test_a_still_that_fails_to_re_encode_is_refused_where_it_was_clicked(
    client, editor, frame_shot
):
    (take,) = frames_request(shot=frame_shot, user=editor, model="previz-still")
    take = make_ready(take)
    with open(take.still.path, "wb") as damaged:
        damaged.write(b"\xff\xd8\xff\xe0 not really a jpeg")
    client.force_login(editor)
    url = reverse("projects:frame-use", args=[frame_shot.project_id, take.pk])
    answer = client.post(url, headers={"HX-Request": "true"})
    assert answer.status_code == 422
    assert (
        f"Take {take.number} cannot become the hero frame: The image is not a JPEG, PNG or WebP "
        "image we can read." in answer.content.decode()
    )
    assert not Shot.objects.get(pk=frame_shot.pk).hero_frame


def test_an_upload_unmarks_the_chosen_candidate(editor, frame_shot, png_upload):
    from projects.images import clean_uploaded_image
    from projects.services.shot_media import shot_set_hero_frame

    (take,) = frames_request(shot=frame_shot, user=editor, model="previz-still")
    frame_choose(take=make_ready(take), user=editor)
    shot = Shot.objects.get(pk=frame_shot.pk)
    shot_set_hero_frame(shot=shot, image=clean_uploaded_image(png_upload()))
    assert chosen_frame_id(Shot.objects.get(pk=frame_shot.pk)) is None


# --- the page -------------------------------------------------------------------------------
def frames_url(shot, name="frames"):
    return reverse(f"projects:{name}", args=[shot.project_id, shot.pk])


def test_a_viewer_sees_candidates_but_cannot_ask_or_choose(client, editor, viewer, frame_shot):
    (take,) = frames_request(shot=frame_shot, user=editor, model="previz-still")
    make_ready(take)
    client.force_login(viewer)
    page = client.get(frames_url(frame_shot))
    assert page.status_code == 200
    assert f'id="frame-{take.pk}"' in page.content.decode()
    assert "Generate candidates" not in page.content.decode()
    assert "Use as hero frame" not in page.content.decode()
    refused = client.post(frames_url(frame_shot, "frames-create"), {"model": "previz-still"})
    assert refused.status_code == 403
    choose = reverse("projects:frame-use", args=[frame_shot.project_id, take.pk])
    assert client.post(choose).status_code == 403
    assert not Shot.objects.get(pk=frame_shot.pk).hero_frame


def test_the_panel_asks_and_shows_the_error_where_it_was_typed(client, editor, frame_shot):
    client.force_login(editor)
    answer = client.post(
        frames_url(frame_shot, "frames-create"),
        {"model": "previz-still", "count": "9"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 422
    assert "Ask for 1 to 4 candidates at a time." in answer.content.decode()
    answer = client.post(
        frames_url(frame_shot, "frames-create"),
        {"model": "previz-still", "count": "2"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    assert answer.content.decode().count('class="frame-candidate state-') == 2
    assert Take.objects.filter(kind=TakeKind.FRAME).count() == 2


def test_the_candidates_partial_reads_a_fixed_number_of_queries(
    client, editor, frame_shot, django_assert_num_queries
):
    for _ in range(2):
        for take in frames_request(shot=frame_shot, user=editor, model="previz-still", count=2):
            make_ready(take)
    frame_choose(take=frame_candidates(frame_shot)[0], user=editor)
    client.force_login(editor)
    url = frames_url(frame_shot, "frames-candidates")
    # session, user, membership with its project, shot, candidates, the chosen one
    with django_assert_num_queries(SESSION + 5):
        page = client.get(url)
    assert page.content.decode().count('class="frame-candidate state-') == 4
    assert page.content.decode().count("frame-chosen") == 1


# --- paid still models, through the simulator and the shared pipeline worker -----------------
PAID = {"seedream-4.5": "seedance", "runway-gen4-image": "runway"}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("model", list(PAID))
def test_a_paid_still_model_makes_candidates_through_its_api(simulator, pipeline_worker, model):
    from tests.factories import MembershipFactory, SceneFactory
    from tests.test_providers_end_to_end import final_state, submissions

    price_stills("0.04", model=model)
    membership = MembershipFactory(role="editor")
    scene = SceneFactory(project=membership.project)
    shot = ShotFactory(scene=scene, aspect_ratio="9:16", subject="A keeper at the lamp")
    takes = frames_request(shot=shot, user=membership.user, model=model, count=2)
    assert {t.provider for t in takes} == {PAID[model]}

    done = [final_state(take) for take in takes]
    assert [t.state for t in done] == [TakeState.SUCCEEDED] * 2, [t.error_message for t in done]
    for take in done:
        with Image.open(take.still.path) as still:
            assert still.format == "JPEG" and still.width * 16 == still.height * 9
    assert submissions(simulator, PAID[model]) == 2  # each candidate sent once
    project = membership.project
    project.refresh_from_db()
    assert project.reserved == 0
    charged = sum(t.actual_cost if t.actual_cost is not None else t.estimated_cost for t in done)
    assert project.spent == charged > 0


def test_a_candidate_is_not_a_video_take(client, editor, frame_shot):
    """Frames have their own panel: not in the shot's takes, not retried, promoted or compared,
    and a ready one does not send the shot to review."""
    (take,) = frames_request(shot=frame_shot, user=editor, model="previz-still")
    make_ready(take)
    assert Shot.objects.get(pk=frame_shot.pk).status == frame_shot.status
    with pytest.raises(ValidationError, match="use it as the hero frame"):
        take_promote(take=take, model="veo-3.1", resolution="720p", user=editor)
    Take.objects.filter(pk=take.pk).update(state=TakeState.FAILED)
    take.refresh_from_db()
    with pytest.raises(ValidationError, match="new hero-frame candidates"):
        take_retry(take=take, user=editor)
    client.force_login(editor)
    page = client.get(reverse("projects:shot", args=[frame_shot.scene.project_id, frame_shot.pk]))
    assert page.status_code == 200
    assert [t.pk for t in page.context["takes"]] == []
