"""Models that retire, and "Test connection", in Chromium: the one-click switch away from a
deprecated model redraws the preview, the model field and the Generate button; staff test a
provider account's keys where they manage it."""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import Shot
from providers.capabilities import CAPABILITIES
from providers.core.capabilities import DEPRECATED, Lifecycle
from studio.models import ProviderAccount
from tests.browser.test_storyboard_flow import sign_in
from tests.factories import MembershipFactory, SceneFactory, ShotFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shot(monkeypatch):
    later = timezone.localdate() + timedelta(days=60)
    life = Lifecycle(status=DEPRECATED, retires_on=later, replacement="kling-2.6-std")
    monkeypatch.setitem(
        CAPABILITIES, "previz", dataclasses.replace(CAPABILITIES["previz"], lifecycle=life)
    )
    membership = MembershipFactory(user=UserFactory(username="mara"), role="editor")
    scene = SceneFactory(project=membership.project, number=1, title="Cliffs")
    return ShotFactory(scene=scene, label="1A", duration_seconds=5, pan=-3, dolly=5)


def test_switch_away_from_a_deprecated_model_in_one_click(page, shot):
    sign_in(page)
    page.goto(f"/projects/{shot.project_id}/shots/{shot.pk}/")
    expect(page.locator("#model-warnings")).to_contain_text("retires Previz on")
    expect(page.locator("#sent-summary")).to_have_text(
        "5 s · 16:9 · 720p · no audio · camera: dolly in +5, pan left \u22123"
    )
    page.get_by_role("button", name="Switch to Kling 2.6 Standard").click()
    expect(page.locator("#preview h2")).to_have_text("What Kling 2.6 Standard will be sent")
    expect(page.get_by_label("Target model")).to_have_value("kling-2.6-std")
    expect(page.locator("#generate")).to_contain_text("Generate on Kling 2.6 Standard")
    expect(page.locator("#model-warnings")).to_have_count(0)
    assert Shot.objects.get(pk=shot.pk).target_model == "kling-2.6-std"
    # A later edit previews (and would save) the new model, not the old one.
    page.locator("input[name=dolly]").fill("2")
    expect(page.locator("#preview h2")).to_have_text("What Kling 2.6 Standard will be sent")
    assert page.csp_violations == []


def test_staff_test_a_provider_account_where_they_manage_it(page):
    UserFactory(username="ops", is_staff=True, is_superuser=True)
    account = ProviderAccount.objects.create(slug="previz")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("ops")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/studio/provideraccount/{account.pk}/change/")
    page.get_by_role("button", name="Test connection").click()
    expect(page.locator("#connection-result")).to_contain_text("✓ Connected")
    assert page.csp_violations == []
