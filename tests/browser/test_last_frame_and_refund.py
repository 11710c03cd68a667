"""In Chromium: ending a shot on a last frame, and an owner recording a provider's refund."""

from decimal import Decimal

import pytest
from PIL import Image
from playwright.sync_api import expect

from projects.models import Project, RateCard
from tests.browser.test_storyboard_flow import sign_in
from tests.factories import (
    MembershipFactory,
    SceneFactory,
    ShotFactory,
    UserFactory,
    paid_take,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shot():
    RateCard.objects.filter(model="previz").update(price=Decimal("0.10"))
    membership = MembershipFactory(user=UserFactory(username="mara"), role="owner")
    scene = SceneFactory(project=membership.project, number=1, title="Cliffs")
    return ShotFactory(scene=scene, label="1A", duration_seconds=5, target_model="previz")


def test_a_last_frame_is_uploaded_and_a_model_without_one_says_so(page, shot, tmp_path):
    frame = tmp_path / "dawn.png"
    Image.new("RGB", (640, 360), (30, 60, 200)).save(frame)
    sign_in(page)
    page.goto(f"/projects/{shot.project_id}/shots/{shot.pk}/")
    page.locator("details.last-frame summary").click()  # open the fold
    page.get_by_label("Last frame", exact=True).set_input_files(str(frame))
    page.get_by_role("button", name="Save shot").click()
    expect(page.get_by_text("Shot 1A saved.")).to_be_visible()
    expect(page.get_by_alt_text("Last frame of shot 1A")).to_be_visible()
    page.get_by_label("Target model").select_option("runway-gen4.5")
    expect(page.locator("#preflight-last_frame")).to_contain_text(
        "cannot end on a chosen last frame"
    )
    assert page.csp_violations == []


def test_an_owner_records_a_refund_and_a_too_big_one_is_refused_in_place(page, shot):
    take = paid_take(shot, held="0.50", actual="0.50")
    sign_in(page)
    page.goto(f"/projects/{shot.project_id}/shots/{shot.pk}/")
    card = page.locator(f"#take-{take.pk}")
    card.get_by_text("Record a refund").click()
    card.get_by_label("Amount given back ($)").fill("0.80")
    card.get_by_label("Why").fill("Credit note 12")
    card.get_by_role("button", name="Record refund").click()
    expect(
        card.get_by_text("Only $0.50 is charged for this take; refund at most that.")
    ).to_be_visible(timeout=15_000)
    expect(card.get_by_label("Why")).to_have_value("Credit note 12")
    # The refusal is swapped in, then settled: a click between the two lands on a form htmx
    # has not taken up yet and sends nothing (seen once on CI's busy cores).
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    card.get_by_label("Amount given back ($)").fill("0.20")
    card.get_by_role("button", name="Record refund").click()
    # An HTMX answer; on CI's busy cores it has taken longer than expect's default 5 s.
    expect(card).to_contain_text("refunded $0.20 · charged now $0.30", timeout=15_000)
    assert Project.objects.get(pk=shot.project_id).spent == Decimal("0.3")
    assert page.csp_violations == []
