"""Which prompt template phrases a project's prompts, family by family: the project's own, else
the studio's default, else the shipped formula; and the editor's reads (history, preview)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q, QuerySet

from projects.models import PromptTemplate, PromptTemplateVersion, Shot
from providers.capabilities import CAPABILITIES
from providers.core import catalog
from providers.core.spec import Beat, DialogueLine, ShotSpec
from providers.design.compile import FAMILIES, family_of

PROJECT, STUDIO, BUILT_IN, DRAFT = "project", "studio default", "built-in", "draft"
# A shot with every part filled in, so a template can be tried before the project has shots
# (and a template is checked against it before it is saved).
SAMPLE_SHOT = ShotSpec(
    label="Sample",
    subject="a knight in heavy plate armor",
    action="stumbles and falls onto a wooden table, which splinters under the impact",
    context="a torch-lit banquet hall at night",
    style="gritty medieval realism, warm firelight",
    shot_size="ms",
    camera_angle="low",
    lens_mm=35,
    duration_seconds=5,
    aspect_ratio="16:9",
    audio=True,
    dialogue=(DialogueLine(speaker="The king", text="Get up, Sir Aldric."),),
    sound_effects="wood cracking",
    ambience="a crowded hall murmuring",
    beats=(Beat(at_seconds=3, action="the crowd gasps"),),
    motion_preset="handheld",
    camera_notes="that shakes with the impact",
)


@dataclass(frozen=True)
class TemplateInUse:
    family: str
    text: str  # never empty: a family with no template of its own uses the shipped one
    scope: str  # PROJECT, STUDIO or BUILT_IN
    version: PromptTemplateVersion | None = None  # None for the shipped formula

    @property
    def label(self) -> str:
        """How a camera report names it: "Kling · project v3 by ana"."""
        name = FAMILIES[self.family].name
        if self.version is None:
            return f"{name} · built-in"
        author = self.version.author.get_username() if self.version.author else "someone"
        return f"{name} · {self.scope} v{self.version.number} by {author}"

    @property
    def is_custom(self) -> bool:
        return self.version is not None


class TemplateBook:
    """A project's templates (project_id None: the studio's), read in one query when first
    asked, so a page that compiles no prompt pays nothing for it."""

    def __init__(self, project_id: int | None) -> None:
        self.project_id = project_id

    @cached_property
    def _current(self) -> dict[tuple[str, bool], PromptTemplateVersion]:
        scope = Q(project__isnull=True)
        if self.project_id is not None:
            scope |= Q(project_id=self.project_id)
        rows = PromptTemplate.objects.filter(scope, current__isnull=False).select_related(
            "current__author"
        )
        return {(row.family, row.project_id is not None): row.current for row in rows}

    def in_use(self, family: str) -> TemplateInUse:
        for is_project, scope in ((True, PROJECT), (False, STUDIO)):
            version = self._current.get((family, is_project))
            if version is not None and version.text:
                return TemplateInUse(family, version.text, scope, version)
        return TemplateInUse(family, FAMILIES[family].template, BUILT_IN)

    def default_for(self, family: str) -> TemplateInUse:
        """What the project's template falls back to: the studio's, else the shipped one."""
        version = self._current.get((family, False))
        if self.project_id is not None and version is not None and version.text:
            return TemplateInUse(family, version.text, STUDIO, version)
        return TemplateInUse(family, FAMILIES[family].template, BUILT_IN)

    def texts(self) -> dict[str, str]:
        """Family -> template text, for providers.design.compile.compile_shot."""
        return {family: self.in_use(family).text for family in FAMILIES}


class DraftBook(TemplateBook):
    """A book with one family's template replaced by text being typed in the editor."""

    def __init__(self, book: TemplateBook, family: str, text: str) -> None:
        super().__init__(book.project_id)
        self.__dict__["_current"] = book._current
        self.family, self.text = family, text

    def in_use(self, family: str) -> TemplateInUse:
        if family == self.family and self.text.strip():
            return TemplateInUse(family, self.text, DRAFT)
        if family == self.family:
            return self.default_for(family)
        return super().in_use(family)


class DefaultBook(DraftBook):
    """A book in which the family uses its default: what the editor compares with."""

    def __init__(self, book: TemplateBook, family: str) -> None:
        super().__init__(book, family, "")


def templates_for(project_id: int | None) -> TemplateBook:
    return TemplateBook(project_id)


def family_models(family: str) -> list[str]:
    """The video models a family's template phrases prompts for, in the catalog's order."""
    return [
        slug
        for slug, _ in catalog.VIDEO_MODELS
        if slug in CAPABILITIES and family_of(slug) == family
    ]


def template_row(project_id: int | None, family: str) -> PromptTemplate | None:
    return PromptTemplate.objects.filter(project_id=project_id, family=family).first()


def template_history(template: PromptTemplate | None) -> QuerySet[PromptTemplateVersion]:
    if template is None:
        return PromptTemplateVersion.objects.none()
    return template.versions.select_related("author").order_by("-number")


def preview_shots(project_id: int | None, user) -> QuerySet[Shot]:
    """Shots the editor can try a template on: the project's; for the studio's defaults, the
    shots of the viewer's own projects."""
    shots = Shot.objects.filter(project_id=project_id) if project_id else Shot.objects.none()
    if project_id is None and user.is_authenticated:
        shots = Shot.objects.filter(project__memberships__user=user)
    return shots.select_related("scene", "project").order_by(
        "project_id", "scene__order", "order", "pk"
    )[:200]
