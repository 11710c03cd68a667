"""Team review in Chromium, with a browser context per person (issue 13's quality bar).

Ana (owner) leaves a box drawn at 2.5 s on a take, naming @bo; Bo, looking at the shot page,
sees the note arrive without a reload and his unread count move; Bo replies, Ana sees the
reply arrive and resolves the thread. Then a client without an account opens a review link
and comments under her name; Ana revokes the link and the client's next request fails.
(Two editors saving the same shot: tests/browser/test_edit_conflict.py.)"""

import pytest
from playwright.sync_api import expect

from projects.models import Comment, Notification, Take
from tests.browser.conftest import open_page
from tests.browser.test_accessibility import sign_in_as
from tests.browser.test_compare import filmed_take
from tests.factories import MembershipFactory, SceneFactory, ShotFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO = "document.querySelector('.take-review video')"
# Null-safe: asked right after a click that navigates, the player may not be on the page yet.
READY = f"(n) => {{ const v = {VIDEO}; return !!v && v.readyState >= n; }}"
# The board polls every 1.5 s (or is pushed to): a change shows without a reload. The ceiling
# is for a busy CI machine, where the suite's four passes share two cores; no test asserts
# wall time. Panels that load after the page (comments) get the same ceiling.
LIVE = 15_000


@pytest.fixture
def team():
    owner = MembershipFactory(user=UserFactory(username="ana"), role="owner")
    project = owner.project
    bo = MembershipFactory(project=project, user=UserFactory(username="bo"), role="editor")
    scene = SceneFactory(project=project, number=1, title="Cliffs")
    shot = ShotFactory(scene=scene, label="1A", target_model="previz")
    return owner.user, bo.user, shot


@pytest.fixture
def people(browser, live_server):
    pages = []

    def person(user=None):
        page = open_page(browser, live_server.url)
        if user is not None:
            sign_in_as(page, user, live_server.url)
        pages.append(page)
        return page

    yield person
    for page in pages:
        assert page.csp_violations == [], page.url
        page.context.close()


def said(page, text: str):
    """A comment's text as shown (not the author's own edit box, which holds it too)."""
    return page.locator(".comment-body", has_text=text)


def shot_url(shot) -> str:
    return f"/projects/{shot.project_id}/shots/{shot.pk}/"


def test_a_note_travels_between_two_members_and_a_guest(people, team, tmp_path):
    ana, bo, shot = team
    take = filmed_take(shot, 1, tmp_path)
    Take.objects.filter(pk=take.pk).update(fps=24, duration_seconds=12)
    a, b = people(ana), people(bo)

    b.goto(shot_url(shot))
    expect(b.get_by_role("heading", name="Comments")).to_be_visible()
    expect(b.get_by_text("No comments yet.")).to_be_visible(timeout=LIVE)
    expect(b.locator(".notifications-link .unread-count")).to_have_count(0)

    # Bo also has the take's review page open, in another tab.
    review = f"/projects/{shot.project_id}/takes/{take.pk}/review/"
    b_tab = b.context.new_page()
    b_tab.goto(review)
    expect(b_tab.get_by_text("No notes on this take yet.")).to_be_visible()

    # Ana draws a box at 2.5 s and names Bo.
    a.goto(review)
    a.wait_for_function(READY, arg=2, timeout=30_000)
    a.evaluate(f"() => {{ {VIDEO}.currentTime = 2.5; }}")
    expect(a.get_by_text("Note at 2.50 s (frame 60)")).to_be_visible()
    a.get_by_role("button", name="Box").click()
    frame = a.locator(".take-review svg.overlay").bounding_box()
    a.mouse.move(frame["x"] + frame["width"] * 0.1, frame["y"] + frame["height"] * 0.2)
    a.mouse.down()
    a.mouse.move(frame["x"] + frame["width"] * 0.3, frame["y"] + frame["height"] * 0.5)
    a.mouse.up()
    a.get_by_label("Note at 2.50 s (frame 60)").fill("@bo the hand enters too early")
    a.get_by_role("button", name="Save note").click()
    expect(a.get_by_role("button", name="Note at 2.50 s by ana")).to_be_visible(timeout=LIVE)
    note = Comment.objects.get()
    assert (note.at_frame, note.drawing["shape"]) == (60, "box")

    # Bo sees it arrive, and his notification, without reloading.
    expect(said(b, "@bo the hand enters too early")).to_be_visible(timeout=LIVE)
    expect(b.get_by_text("take 1 at 2.50 s (frame 60)")).to_be_visible()
    expect(b.locator(".notifications-link .unread-count")).to_have_text("1", timeout=LIVE)
    assert Notification.objects.get().user == bo
    # On the review tab the note and its marker arrive too; the marker shows the drawing.
    marker = b_tab.get_by_role("button", name="Note at 2.50 s by ana")
    expect(marker).to_be_visible(timeout=LIVE)
    b_tab.wait_for_function(READY, arg=1, timeout=30_000)
    marker.click()
    b_tab.wait_for_function(f"() => {VIDEO}.currentTime === 2.5")
    expect(b_tab.locator(".take-review svg.overlay g.shown rect")).to_have_count(1)
    b_tab.close()

    # Bo replies; Ana, now on the shot page, sees the reply arrive and resolves the thread.
    a.goto(shot_url(shot))
    expect(said(a, "@bo the hand enters too early")).to_be_visible(timeout=LIVE)
    thread = b.locator(f"#note-{note.pk}")
    thread.get_by_text("Reply", exact=True).first.click()
    thread.get_by_label("Reply to ana").fill("Agreed, I'll move the beat to 3 s")
    thread.get_by_role("button", name="Reply").click()
    expect(said(a, "Agreed, I'll move the beat to 3 s")).to_be_visible(timeout=LIVE)
    a.locator(f"#note-{note.pk}").get_by_role("button", name="Resolve").click()
    expect(a.get_by_text("Resolved by ana")).to_be_visible(timeout=LIVE)
    expect(b.get_by_text("Resolved by ana")).to_be_visible(timeout=LIVE)
    note.refresh_from_db()
    assert note.resolved_by == ana
    # Ana was told of the reply to her note.
    assert Notification.objects.filter(user=ana, reason="reply").count() == 1

    # A client without an account, through a review link.
    a.goto(f"/projects/{shot.project_id}/review-links/")
    a.get_by_label("Label").fill("Client, cut 1")
    a.get_by_role("button", name="Make the link").click()
    link = a.locator("span.url").first.inner_text()
    guest = people()
    guest.goto(link)
    guest.get_by_role("link", name="1A").click()
    expect(guest.get_by_role("heading", name="Shot 1A")).to_be_visible()
    guest.locator("#guest-name").fill("Carla")
    guest.get_by_label("Comment on shot 1A").fill("Love the light on the cliffs")
    guest.get_by_role("button", name="Comment", exact=True).click()
    expect(guest.get_by_text("Love the light on the cliffs")).to_be_visible()

    # ...and a frame note with a drawing, on the same player the team uses.
    guest.get_by_role("link", name="Notes on take 1, frame by frame, with drawing →").click()
    guest.wait_for_function(READY, arg=2, timeout=30_000)
    guest.evaluate(f"() => {{ {VIDEO}.currentTime = 4; }}")
    expect(guest.get_by_text("Note at 4.00 s (frame 96)")).to_be_visible()
    expect(guest.get_by_label("Your name")).to_have_value("Carla")
    guest.get_by_role("button", name="Point").click()
    frame = guest.locator(".take-review svg.overlay").bounding_box()
    guest.mouse.click(frame["x"] + frame["width"] * 0.5, frame["y"] + frame["height"] * 0.5)
    guest.get_by_label("Note at 4.00 s (frame 96)").fill("Can the gull cross here?")
    guest.get_by_role("button", name="Save note").click()
    expect(guest.get_by_role("button", name="Note at 4.00 s by Carla (guest)")).to_be_visible(
        timeout=LIVE
    )
    guest_note = Comment.objects.get(guest_name="Carla", at_frame=96)
    assert guest_note.drawing["shape"] == "point" and guest_note.take_id == take.pk

    a.goto(shot_url(shot))
    expect(said(a, "Love the light on the cliffs")).to_be_visible(timeout=LIVE)
    expect(a.get_by_text("Carla (guest)", exact=True)).to_have_count(2)
    expect(said(a, "Can the gull cross here?")).to_be_visible()

    # Ana revokes the link: the client's next request is refused.
    a.goto(f"/projects/{shot.project_id}/review-links/")
    a.once("dialog", lambda dialog: dialog.accept())
    a.get_by_role("button", name="Revoke").click()
    expect(a.get_by_text("Revoked")).to_be_visible(timeout=LIVE)
    response = guest.reload()
    assert response.status == 410
    expect(guest.get_by_role("heading", name="This link no longer works")).to_be_visible()
