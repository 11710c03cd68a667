import io
from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from projects.models import (
    LedgerEntry,
    Membership,
    Project,
    RateCard,
    Role,
    Scene,
    Shot,
    Take,
    TakeState,
)
from projects.services.money import budget_release, budget_reserve, budget_settle


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Film {n}")
    logline = "A keeper relights the lamp."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.OWNER


class SceneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scene

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Scene {n}")


class ShotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shot

    scene = factory.SubFactory(SceneFactory)
    project = factory.SelfAttribute("scene.project")
    label = factory.Sequence(lambda n: f"S{n}")
    order = factory.Sequence(lambda n: n + 1)
    subject = "The keeper"
    action = "climbs the stairs"


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), color=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


SHOT_FORM_FIELDS = (
    "label",
    "status",
    "subject",
    "action",
    "context",
    "style",
    "shot_size",
    "camera_angle",
    "lens_mm",
    "duration_seconds",
    "aspect_ratio",
    "target_model",
    "resolution",
    "dialogue",
    "dialogue_language",
    "beats",
    "sound_effects",
    "ambience",
    "negative_prompt",
    "motion_preset",
    "camera_notes",
    "notes",
    "pan",
    "tilt",
    "roll",
    "zoom",
    "truck",
    "dolly",
)


def shot_form_data(shot, **changes) -> dict:
    """Everything the shot editor posts, as currently saved, with `changes` on top."""
    data = {name: getattr(shot, name) for name in SHOT_FORM_FIELDS}
    if shot.seed is not None:
        data["seed"] = shot.seed
    if shot.audio:
        data["audio"] = "on"
    # The version the page was loaded at and the signed fields as loaded (edit conflicts).
    from projects.forms import ShotForm

    loaded = ShotForm(instance=shot)
    data["version"], data["base"] = loaded.initial["version"], loaded.initial["base"]
    data.update(changes)
    return data


def card_form_data(shot, **changes) -> dict:
    """What the board's quick card edit posts (prefix card-<pk>), as saved, with `changes`."""
    from projects.forms import ShotCardForm

    form = ShotCardForm(instance=shot, prefix=f"card-{shot.pk}")
    data = {form.add_prefix(name): form.initial.get(name) for name in form.fields}
    data[form.add_initial_prefix("status")] = shot.status
    data.update({form.add_prefix(name): value for name, value in changes.items()})
    return data


def take_of(shot, number: int = 1, **fields) -> Take:
    """A take row of `shot`: by default a free previz take that finished; `fields` override."""
    defaults = {
        "model": "previz",
        "provider": "previz",
        "prompt": "A keeper climbs.",
        "estimated_cost": 0,
        "state": TakeState.SUCCEEDED,
    }
    return Take.objects.create(
        project=shot.project, shot=shot, number=number, **{**defaults, **fields}
    )


def circled_video_take(shot, number: int = 1, *, poster: bytes | None = None) -> Take:
    """A free previz take that finished with a (stub) video and a poster, circled on its shot."""
    take = take_of(shot, number)
    take.video.save("take.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    take.poster.save("poster.png", ContentFile(poster or image_bytes("PNG")), save=False)
    take.save()
    shot.circled_take = take
    shot.save(update_fields=["circled_take"])
    return take


def paid_take(
    shot,
    *,
    number=1,
    user=None,
    held="2.00",
    actual="1.50",
    state=TakeState.SUCCEEDED,
    model="veo-3.1",
    provider="google",
    when=None,
    seconds=90,
) -> Take:
    """A take that went through the ledger: reserve, then settle (succeeded) or release."""
    when = when or timezone.now()
    take = take_of(
        shot,
        number,
        requested_by=user,
        model=model,
        provider=provider,
        state=state,
        estimated_cost=Decimal(held),
        finished_at=when,
    )
    Take.objects.filter(pk=take.pk).update(queued_at=when - timedelta(seconds=seconds))
    budget_reserve(project=shot.project, take=take, amount=Decimal(held), user=user)
    if state == TakeState.SUCCEEDED:
        budget_settle(take=take, actual=Decimal(actual) if actual is not None else None)
    else:
        budget_release(take=take, note="failed")
    LedgerEntry.objects.filter(take=take).update(created_at=when)
    return take


def ensure_rate_cards() -> None:
    """Rate cards come from a data migration; a transactional test flushes them: put them back."""
    from providers.prices import RATE_CARDS
    from providers.stills import STILL_RATE_CARDS

    if not RateCard.objects.exists():
        RateCard.objects.bulk_create(
            RateCard(
                model=r.model,
                resolution=r.resolution,
                audio=r.audio,
                unit=r.unit,
                price=r.price,
                currency=r.currency,
                effective=r.effective,
                source=r.source,
            )
            for r in (*RATE_CARDS, *STILL_RATE_CARDS)
        )


def hiker_shot(*, role: str = "owner", **fields) -> Shot:
    """Shot 1A of scene 1 "Cliffs", a lone hiker at the canyon edge, in a project of the
    member "mara" (the browser tests sign in as her)."""
    membership = MembershipFactory(user=UserFactory(username="mara"), role=role)
    scene = SceneFactory(project=membership.project, number=1, title="Cliffs")
    fields = {"subject": "A lone hiker", "action": "stands at the canyon edge", **fields}
    return ShotFactory(scene=scene, label="1A", **fields)


def kling_template_versions(project, user) -> None:
    """Two versions of the project's (or, with None, the studio's) Kling template, v2 in use,
    so there is a v1 to revert to."""
    from projects.selectors.prompt_templates import SAMPLE_SHOT
    from projects.services.prompt_templates import prompt_template_save

    for words in ("Warm.", "Cold."):
        prompt_template_save(
            project=project,
            family="kling",
            text="{{ subject_action|sentence }} " + words,
            user=user,
            specs=[("the sample shot", SAMPLE_SHOT)],
        )
