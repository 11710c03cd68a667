"""Saving a team's prompt template: every change is a new version, checked whole first, so a
template that would not compile or would make a prompt the model refuses is never in use."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from projects.models import Project, PromptTemplate, PromptTemplateVersion
from projects.selectors.prompt_templates import family_models, template_row
from providers.capabilities import CAPABILITIES
from providers.core.placeholders import KNOWN
from providers.core.spec import ShotSpec
from providers.core.templating import TemplateProblem, compile_template
from providers.design.compile import FAMILIES, compile_shot
from providers.design.preflight import utf16_len


def template_problems(text: str, family: str, specs: list[tuple[str, ShotSpec]]) -> list[str]:
    """Why `text` cannot be the family's template: it does not compile, or, for one of the
    `specs` (named shots), fails to fill in or makes a prompt over a model's limit."""
    if not text.strip():
        return []
    try:
        compile_template(text, KNOWN)
    except TemplateProblem as problem:
        return [str(problem)]
    found: list[str] = []
    for shot_name, spec in specs:
        for model in family_models(family):
            caps = CAPABILITIES[model]
            try:
                prompt = compile_shot(spec, caps, {family: text}).prompt
            except TemplateProblem as problem:
                return [f"With {shot_name}: {problem}"]
            limit = caps.prompt_max_chars
            if limit is not None and utf16_len(prompt) > limit:
                found.append(
                    f"With {shot_name}, this template makes a prompt of {utf16_len(prompt):,} "
                    f"characters; {caps.name} reads up to {limit:,}."
                )
    return found


def prompt_template_save(
    *,
    project: Project | None,
    family: str,
    text: str,
    user,
    specs: list[tuple[str, ShotSpec]],
    restores: int | None = None,
) -> PromptTemplateVersion:
    """The family's template for `project` (None: the studio default) becomes `text`, as a
    new version by `user`. Empty text hands the family back to the default. ValidationError
    on "text" when it cannot be used, or when it is already the template in use."""
    if family not in FAMILIES:
        raise ValidationError({"family": "There is no such family of models."})
    text = text.replace("\r\n", "\n").strip()
    problems = template_problems(text, family, specs)
    if problems:
        raise ValidationError({"text": problems})
    with transaction.atomic():
        template = _locked(project, family)
        current = template.current
        in_use = current.text if current is not None else ""
        if in_use == text:
            raise ValidationError({"text": "Nothing changed: this is the template in use."})
        number = (template.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = PromptTemplateVersion.objects.create(
            template=template, number=number, text=text, author=user, restores=restores
        )
        PromptTemplate.objects.filter(pk=template.pk).update(current=version)
    return version


def prompt_template_revert(
    *,
    project: Project | None,
    family: str,
    number: int,
    user,
    specs: list[tuple[str, ShotSpec]],
) -> PromptTemplateVersion:
    """Version `number` is in use again, as a new version that says it restores it: history
    only grows, so a revert can itself be reverted."""
    template = template_row(project.pk if project else None, family)
    old = template.versions.filter(number=number).first() if template else None
    if old is None:
        raise ValidationError({"text": f"There is no version {number} to go back to."})
    return prompt_template_save(
        project=project, family=family, text=old.text, user=user, specs=specs, restores=number
    )


def _locked(project: Project | None, family: str) -> PromptTemplate:
    """The template row, created on first save, locked until the transaction ends so two
    saves number their versions one after the other."""
    try:
        with transaction.atomic():
            PromptTemplate.objects.get_or_create(project=project, family=family)
    except IntegrityError:
        pass  # someone else created it between our look and our insert
    return (
        PromptTemplate.objects.select_for_update(of=("self",))
        .select_related("current")
        .get(project=project, family=family)
    )
