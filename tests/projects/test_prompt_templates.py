"""A team's prompt templates through the real views and services: who may change them, every
save a version, a bad template never saved, the shot page and the takes use what is in use."""

import html as htmllib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.models import PromptTemplate, PromptTemplateVersion, Take
from projects.selectors.design import shot_preview
from projects.selectors.prompt_templates import SAMPLE_SHOT, templates_for
from projects.services.prompt_templates import prompt_template_revert, prompt_template_save
from projects.services.takes import take_request, take_retry
from providers.design.compile import FAMILIES
from tests.factories import ShotFactory, UserFactory

pytestmark = pytest.mark.usefixtures("empty_cache")

SUFFIX = "Shot on 35mm film, warm grain."
KLING_HOUSE = FAMILIES["kling"].template + SUFFIX
SPECS = [("the sample shot", SAMPLE_SHOT)]


def text(response) -> str:
    return htmllib.unescape(response.content.decode())


def editor_url(project, family="kling", *suffix):
    name = "projects:project-prompt-template" + "".join(f"-{s}" for s in suffix)
    return reverse(name, args=[project.pk, family])


@pytest.fixture
def kling_shot(scene):
    return ShotFactory(
        scene=scene,
        label="1A",
        target_model="kling-2.6-std",
        duration_seconds=5,
        subject="a knight",
        action="falls onto a table",
    )


def save(project, text, user, family="kling"):
    return prompt_template_save(project=project, family=family, text=text, user=user, specs=SPECS)


def test_an_editor_saves_a_version_and_the_shot_page_phrases_the_prompt_with_it(
    client, editor, project, kling_shot
):
    client.force_login(editor)
    shot_url = reverse("projects:shot", args=[project.pk, kling_shot.pk])
    assert SUFFIX not in text(client.get(shot_url))  # the page is now stored whole

    response = client.post(editor_url(project), {"text": KLING_HOUSE, "shot": kling_shot.pk})

    assert response.status_code == 302
    version = PromptTemplateVersion.objects.get()
    assert (version.number, version.author, version.text) == (1, editor, KLING_HOUSE.strip())
    page = text(client.get(shot_url))
    prompt = "A knight falls onto a table. The camera is a medium shot, eye level, 35mm lens."
    assert f"{prompt} {SUFFIX}</pre>" in page
    assert f"Kling · project v1 by {editor.username}" in page


def test_a_template_that_does_not_compile_is_refused_under_the_editor_and_nothing_is_saved(
    client, editor, project, kling_shot
):
    client.force_login(editor)
    typed = "{{ ''.__class__.__mro__ }} " + FAMILIES["kling"].template

    response = client.post(editor_url(project), {"text": typed, "shot": kling_shot.pk})

    assert response.status_code == 422
    page = text(response)
    assert "Line 1: .__mro__ is not allowed" in page
    assert typed.strip() in page  # what was typed is still in the textarea
    assert not PromptTemplateVersion.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("{{ subjct }}", "subjct is not a placeholder. Did you mean subject?"),
        ("{{ subject ", "Line 1: unexpected end of template"),
        ("{% for i in range(99999999) %}x{% endfor %}", "{% for %} runs over lines or beat_list"),
        ("x" * 1_000_000, "The template is 1,000,000 characters"),
    ],
)
def test_hostile_and_mistyped_templates_get_a_message(project, editor, typed, message):
    with pytest.raises(ValidationError) as refused:
        save(project, typed, editor)
    assert message in " ".join(refused.value.message_dict["text"])
    assert not PromptTemplate.objects.filter(current__isnull=False).exists()


def test_a_template_that_makes_a_prompt_over_the_models_limit_is_refused(project, editor):
    runway = FAMILIES["runway"].template + " {{ context }}" * 40

    with pytest.raises(ValidationError) as refused:
        save(project, runway, editor, family="runway")

    assert "Runway Gen-4.5 reads up to 1,000" in " ".join(refused.value.messages)
    assert not PromptTemplateVersion.objects.exists()


def test_viewers_read_the_editor_but_cannot_save(client, viewer, project, kling_shot):
    client.force_login(viewer)
    page = text(client.get(editor_url(project) + f"?shot={kling_shot.pk}"))
    assert 'id="template-text"' in page and " readonly>" in page
    assert "Save as a new version" not in page
    assert client.post(editor_url(project), {"text": KLING_HOUSE}).status_code == 403
    preview = client.post(editor_url(project, "kling", "preview"), {"text": KLING_HOUSE})
    assert preview.status_code == 200 and SUFFIX in text(preview)
    assert not PromptTemplateVersion.objects.exists()


def test_outsiders_get_a_404(client, outsider, project):
    client.force_login(outsider)
    assert client.get(editor_url(project)).status_code == 404
    assert client.post(editor_url(project), {"text": KLING_HOUSE}).status_code == 404


def test_an_unknown_family_is_a_404(client, editor, project):
    client.force_login(editor)
    assert client.get(editor_url(project, "sora")).status_code == 404


def test_the_live_preview_shows_the_typed_template_its_errors_and_the_default_beside_it(
    client, editor, project, kling_shot
):
    client.force_login(editor)
    url = editor_url(project, "kling", "preview")
    data = {"text": KLING_HOUSE, "shot": kling_shot.pk, "compare": "1"}

    page = text(client.post(url, data, HTTP_HX_REQUEST="true"))

    prompt = "A knight falls onto a table. The camera is a medium shot, eye level, 35mm lens."
    assert f'id="template-prompt">{prompt} {SUFFIX}</pre>' in page
    assert f'id="default-prompt">{prompt}</pre>' in page
    assert '"model_name": "kling-v2-6"' in page
    broken = text(client.post(url, {"text": "{{ subjct }}"}, HTTP_HX_REQUEST="true"))
    assert 'id="template-text-errors" role="alert" hx-swap-oob="true"' in broken
    assert "Did you mean subject?" in broken


def test_a_take_records_the_template_version_and_a_retry_keeps_it(project, editor, shot):
    version = save(project, FAMILIES["previz"].template + " In the house style.", editor, "previz")

    take = take_request(shot=shot, user=editor)

    assert take.prompt.endswith("In the house style.")
    assert take.prompt_template == version
    assert take.prompt_template_label == f"Previz · project v1 by {editor.username}"
    Take.objects.filter(pk=take.pk).update(state="failed")
    take.refresh_from_db()
    again = take_retry(take=take, user=editor)
    assert (again.prompt_template_id, again.prompt) == (version.pk, take.prompt)


def test_a_take_from_the_built_in_formula_says_so(project, editor, shot):
    take = take_request(shot=shot, user=editor)
    assert take.prompt_template is None and take.prompt_template_label == "Previz · built-in"


def test_revert_makes_a_new_version_with_the_old_text(project, editor, owner):
    first = save(project, KLING_HOUSE, editor)
    save(project, FAMILIES["kling"].template + "Anamorphic lens flares.", owner)

    third = prompt_template_revert(
        project=project, family="kling", number=1, user=owner, specs=SPECS
    )

    assert (third.number, third.text, third.restores, third.author) == (3, first.text, 1, owner)
    assert templates_for(project.pk).in_use("kling").version == third
    with pytest.raises(ValidationError, match="Nothing changed"):
        save(project, KLING_HOUSE, editor)


def test_studio_defaults_are_staff_only_and_a_projects_own_template_comes_first(
    client, editor, project, kling_shot
):
    staff = UserFactory(is_staff=True)
    studio_url = reverse("studio:prompt-template", args=["kling"])
    studio_text = FAMILIES["kling"].template + "Studio look."
    client.force_login(editor)
    assert client.post(studio_url, {"text": studio_text}).status_code == 403

    client.force_login(staff)
    assert client.post(studio_url, {"text": studio_text, "shot": "sample"}).status_code == 302

    assert shot_preview(kling_shot).compiled.prompt.endswith("Studio look.")
    assert shot_preview(kling_shot).template.label == f"Kling · studio default v1 by {staff}"
    save(project, KLING_HOUSE, editor)
    assert shot_preview(kling_shot).compiled.prompt.endswith(SUFFIX)
    save(project, "", editor)  # "Use the default": the studio's again
    assert shot_preview(kling_shot).compiled.prompt.endswith("Studio look.")


def test_the_list_says_what_is_in_use_for_each_family(client, editor, project):
    save(project, KLING_HOUSE, editor)
    client.force_login(editor)
    page = text(client.get(reverse("projects:project-prompt-templates", args=[project.pk])))
    assert "In use: <strong>project v1</strong>" in page
    assert page.count("In use: the built-in formula") == len(FAMILIES) - 1


def test_an_archived_project_keeps_its_templates_read_only(client, owner, project):
    from django.utils import timezone

    project.archived_at = timezone.now()
    project.save()
    client.force_login(owner)
    assert client.post(editor_url(project), {"text": KLING_HOUSE}).status_code == 403
    assert "Save as a new version" not in text(client.get(editor_url(project)))
