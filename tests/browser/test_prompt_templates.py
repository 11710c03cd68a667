"""Prompt templates in Chromium: a house style typed with a live preview, saved, used by a Kling
take (with the provider simulator and the shared worker), then reverted."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import PromptTemplateVersion
from tests.browser.test_storyboard_flow import sign_in
from tests.factories import hiker_shot

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

HOUSE_STYLE = "Shot on 35mm film, warm grain."


@pytest.fixture
def shot():
    return hiker_shot(
        role="editor", target_model="kling-2.6-std", duration_seconds=5, aspect_ratio="16:9"
    )


def versions(shot):
    return PromptTemplateVersion.objects.filter(
        template__project=shot.project, template__family="kling"
    )


def test_a_house_style_is_previewed_saved_used_by_a_take_and_reverted(
    page, shot, simulator, pipeline_worker
):
    sign_in(page)
    page.goto(f"/projects/{shot.project_id}/")
    page.get_by_role("link", name="Prompt templates").click()
    expect(page.get_by_role("heading", name="Prompt templates")).to_be_visible()
    page.locator("#family-kling").get_by_role("link", name="Kling").click()
    expect(page.get_by_role("heading", name="Kling prompt template")).to_be_visible()
    editor_url = f"/projects/{shot.project_id}/prompts/kling/?shot={shot.pk}"
    page.goto(editor_url)

    # 1. The default prompt, for the shot.
    prompt = page.locator("#template-prompt")
    expect(page.locator("#template-in-use")).to_contain_text("the built-in formula")
    expect(page.get_by_label("Try it on")).to_have_value(str(shot.pk))
    expect(page.get_by_label("Model")).to_have_value("kling-2.6-std")
    expect(prompt).to_contain_text("A lone hiker stands at the canyon edge.")
    default_prompt = prompt.inner_text()
    assert HOUSE_STYLE not in default_prompt
    expect(page.locator("#template-use-default")).to_have_count(0)

    # 2. The house style, typed: the preview follows, nothing is saved.
    textarea = page.get_by_label("Template")
    textarea.press("Control+End")
    textarea.press_sequentially("\n" + HOUSE_STYLE)
    expect(prompt).to_have_text(re.compile(re.escape(HOUSE_STYLE) + r"$"))
    expect(prompt).to_contain_text("A lone hiker stands at the canyon edge.")
    expect(page.locator("#template-params")).to_contain_text('"duration"')
    assert not versions(shot).exists()

    # 3. A misspelt placeholder says what it may have meant; taken out again, all is well.
    textarea.press_sequentially(" {{ subjct }}")
    expect(page.locator("#template-text-errors")).to_contain_text("Did you mean subject")
    for _ in range(len(" {{ subjct }}")):
        textarea.press("Backspace")
    expect(page.locator("#template-text-errors")).to_have_text("")
    expect(prompt).to_have_text(re.compile(re.escape(HOUSE_STYLE) + r"$"))

    # 4. Side by side with the default.
    page.get_by_label("Compare with the default").check()
    expect(page.locator("#default-prompt")).to_have_text(default_prompt)
    expect(page.locator("#template-prompt")).to_have_text(re.compile(re.escape(HOUSE_STYLE) + r"$"))
    assert not versions(shot).exists()

    # 5. Saved as v1.
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Kling's prompt template saved as v1.")).to_be_visible()
    expect(page.locator("#template-in-use")).to_contain_text("In use: project v1 by mara")
    expect(page.locator("#template-use-default")).to_be_visible()
    v1 = versions(shot).get()
    assert v1.number == 1 and v1.text.endswith(HOUSE_STYLE) and v1.author.username == "mara"

    # 6. A Kling take is phrased by it, and its camera report says so.
    page.goto(f"/projects/{shot.project_id}/shots/{shot.pk}/")
    expect(page.locator("#prompt-template-in-use")).to_contain_text("Kling · project v1 by mara")
    expect(page.locator("#compiled-prompt")).to_contain_text(HOUSE_STYLE)
    page.get_by_role("button", name=re.compile(r"^Generate on Kling")).click()
    expect(page.get_by_text("Take 1 of shot 1A is on its way.")).to_be_visible()
    card = page.locator(".take-card").first
    expect(card).to_contain_text("Take 1")
    report = card.locator("details.camera-report")
    report.locator("summary", has_text="Camera report").click()
    expect(report.locator(".prompt-template")).to_have_text("Kling · project v1 by mara")
    expect(report.locator("h3:text-is('Prompt sent') + pre")).to_contain_text(HOUSE_STYLE)
    take = shot.takes.get()
    assert take.prompt_template_id == v1.pk and take.prompt.endswith(HOUSE_STYLE)

    # 7. A second version, then back to the first, as v3.
    page.goto(editor_url)
    expect(textarea).to_have_value(re.compile(re.escape(HOUSE_STYLE) + r"$"))
    textarea.press("Control+End")
    textarea.press_sequentially(" Handheld feel.")
    expect(prompt).to_have_text(re.compile(r"Handheld feel\.$"))
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Kling's prompt template saved as v2.")).to_be_visible()
    expect(page.locator("#template-in-use")).to_contain_text("project v2")
    expect(page.locator("#version-2")).to_contain_text("(in use)")
    expect(page.locator("#revert-2")).to_have_count(0)

    page.locator("#revert-1").click()
    expect(page.get_by_text("v1 is in use again, as v3.")).to_be_visible()
    expect(page.locator("#template-in-use")).to_contain_text("project v3")
    expect(page.locator("#version-3")).to_contain_text("restores v1")
    expect(prompt).to_have_text(re.compile(re.escape(HOUSE_STYLE) + r"$"))
    v3 = versions(shot).get(number=3)
    assert v3.text == v1.text and v3.restores == 1
    assert page.csp_violations == []
