"""A finished job whose video could not be fetched: charged as the provider billed it, kept as
"result lost", and fetched again for free while the provider's link may still work."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from projects.models import LedgerEntry, LedgerKind, Shot, ShotStatus, Take, TakeState
from projects.pipeline import download
from projects.pipeline.download import take_download
from projects.pipeline.follow import MAX_POLL_ERRORS, take_follow
from projects.selectors.books import books_out_of_balance
from projects.selectors.money import charged_for, held_for
from projects.services.takes import take_fetch_again
from providers.core.base import ProviderError, State, Transient
from tests.support.fakes import install, sent_take


@pytest.fixture
def script(settings):
    script = install(settings)
    script.state, script.cost = State.SUCCEEDED, Decimal("1.75")
    return script


def finished_at_provider(shot, provider="fake-always") -> Take:
    """A take the provider reports done (with its own price): the studio is fetching it."""
    take = sent_take(shot, provider)
    take_follow(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.DOWNLOADING
    return take


def lost(shot, script, error=None, provider="fake-always") -> Take:
    script.download_error = error or ProviderError(
        "The result is no longer at the provider (HTTP 403): its link has probably expired."
    )
    take = finished_at_provider(shot, provider)
    take_download(take.pk)
    take.refresh_from_db()
    return take


@pytest.mark.parametrize(
    "error",
    [
        ProviderError("The result is no longer at the provider (HTTP 403): its link expired."),
        ProviderError("Refused to download from cdn.example: not the provider's."),
        ProviderError("The result is over the 1024-byte cap."),
    ],
    ids=["expired", "refused", "too big"],
)
def test_a_billed_result_that_cannot_be_fetched_is_lost_and_charged(shot, script, error):
    take = lost(shot, script, error)
    assert (take.state, take.error_kind, take.error_message) == (
        TakeState.RESULT_LOST,
        "result_lost",
        error.message,
    )
    # The provider's own figure, not the estimate held: what it billed is what we record.
    assert (charged_for(take.pk), held_for(take.pk)) == (Decimal("1.75"), 0)
    assert take.can_retry
    assert books_out_of_balance() == []


def test_a_result_that_is_not_a_video_is_lost(shot, script, tmp_path, monkeypatch):
    from providers.core.media import InvalidVideo

    def unreadable(path):
        raise InvalidVideo("ffprobe found no video stream.")

    monkeypatch.setattr(download, "probe", unreadable)
    take = finished_at_provider(shot)
    take_download(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.RESULT_LOST
    assert take.error_message == "ffprobe found no video stream."


def test_success_with_no_link_is_a_lost_result(shot, script):
    script.result_url = ""
    take = finished_at_provider(shot)
    take_download(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.RESULT_LOST
    assert take.error_message == "The provider reported the video finished but gave no link to it."
    assert charged_for(take.pk) == Decimal("1.75")


def test_download_hiccups_end_in_a_lost_result_after_the_last_try(shot, script):
    script.download_error = Transient("Download interrupted: connection reset")
    take = finished_at_provider(shot)
    for _ in range(MAX_POLL_ERRORS):
        take_download(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.RESULT_LOST
    assert charged_for(take.pk) == Decimal("1.75")


def test_fetch_again_saves_the_video_and_charges_nothing_more(
    shot, script, django_capture_on_commit_callbacks
):
    take = lost(shot, script)
    first_seen = take.downloading_at
    assert take.can_fetch_again

    script.download_error = None  # the provider serves it again
    Shot.objects.filter(pk=shot.pk).update(status=ShotStatus.REVIEW)  # earlier takes to review
    with django_capture_on_commit_callbacks() as enqueued:
        take = take_fetch_again(take=take)
    assert len(enqueued) == 1  # the download task
    assert Shot.objects.get(pk=shot.pk).status == ShotStatus.GENERATING
    assert (take.state, take.error_message, take.finished_at) == (TakeState.DOWNLOADING, "", None)
    assert take.downloading_at == first_seen  # the link's age still counts from the first time
    take_download(take.pk)
    take.refresh_from_db()

    assert take.state == TakeState.SUCCEEDED and take.video
    assert charged_for(take.pk) == Decimal("1.75")
    assert LedgerEntry.objects.filter(take=take, kind=LedgerKind.SETTLE).count() == 1
    assert Shot.objects.get(pk=shot.pk).status == ShotStatus.REVIEW
    assert books_out_of_balance() == []


def test_fetch_again_twice_at_once_moves_the_take_once(shot, script):
    take = lost(shot, script)
    take_fetch_again(take=take)
    with pytest.raises(ValidationError):
        take_fetch_again(take=take)  # the stale copy a second click holds


def test_after_the_links_lifetime_only_retry_is_offered(client, editor, project, shot, script):
    take = lost(shot, script, provider="fake-short")
    Take.objects.filter(pk=take.pk).update(downloading_at=timezone.now() - timedelta(hours=2))
    client.force_login(editor)
    html = client.get(reverse("projects:take-card", args=[project.pk, take.pk])).content.decode()
    assert "the provider's link to it has expired. Retry makes a new take" in html
    assert ">Fetch again</button>" not in html
    assert ">Retry</button>" in html

    response = client.post(
        reverse("projects:take-action", args=[project.pk, take.pk, "fetch-again"]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert Take.objects.get(pk=take.pk).state == TakeState.RESULT_LOST


def test_the_card_offers_fetch_again_while_the_link_may_work(client, editor, project, shot, script):
    take = lost(shot, script)
    client.force_login(editor)
    url = reverse("projects:take-card", args=[project.pk, take.pk])
    html = client.get(url).content.decode()
    assert "Result lost" in html
    assert "fetching it again is free." in html
    assert ">Fetch again</button>" in html

    script.download_error = None
    response = client.post(
        reverse("projects:take-action", args=[project.pk, take.pk, "fetch-again"]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-state="downloading"' in response.content.decode()


def test_the_dashboard_counts_a_lost_result_as_a_cost_of_failure(client, owner, shot, script):
    take = lost(shot, script)
    client.force_login(owner)
    data = client.get("/projects/dashboard/").context["data"]
    rows = {row["label"]: row for row in data.wasted}
    assert rows["Result lost"] == {
        "label": "Result lost",
        "takes": 1,
        "spent": Decimal("1.75"),
        "held": 0,  # nothing was let go: it was all spent
        "bar": 160,
    }
    assert data.wasted_spent == Decimal("1.75")
    (provider,) = data.providers
    assert (provider["label"], provider["succeeded"], provider["decided"]) == (take.provider, 0, 1)
