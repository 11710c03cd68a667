"""A project shared through review links, for the review link tests."""

from __future__ import annotations

from types import SimpleNamespace

from django.core.files.base import ContentFile

from projects.images import clean_uploaded_image
from projects.models import Role, Take, TakeKind, TakeState
from projects.services.review_links import review_link_create
from projects.services.shot_media import shot_set_hero_frame
from tests.factories import (
    MembershipFactory,
    ProjectFactory,
    SceneFactory,
    ShotFactory,
    UserFactory,
    image_bytes,
    paid_take,
)

VIDEO = bytes(range(256)) * 8


def finished_take(shot, number: int, *, kind=TakeKind.VIDEO, state=TakeState.SUCCEEDED) -> Take:
    take = paid_take(shot, number=number, model="previz", provider="previz", state=state)
    if kind != TakeKind.VIDEO:
        Take.objects.filter(pk=take.pk).update(kind=kind)
        take.refresh_from_db()
    take.video.save("t.mp4", ContentFile(VIDEO), save=False)
    take.poster.save("p.jpg", ContentFile(image_bytes("JPEG")), save=False)
    take.thumbnail.save("t.jpg", ContentFile(image_bytes("JPEG")), save=False)
    take.save()
    return take


def build_review_world() -> SimpleNamespace:
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = ProjectFactory(name="The Last Lamp")
    members = {
        role: MembershipFactory(project=project, role=getattr(Role, role.upper())).user
        for role in ("owner", "editor", "viewer")
    }
    members["outsider"] = UserFactory()
    scenes = [SceneFactory(project=project, number=n, order=n) for n in (1, 2)]
    shot = ShotFactory(scene=scenes[0], label="1A", subject="A keeper climbs the stairs")
    other_scene_shot = ShotFactory(scene=scenes[1], label="2A")
    upload = SimpleUploadedFile("hero.png", image_bytes("PNG"), content_type="image/png")
    shot_set_hero_frame(shot=shot, image=clean_uploaded_image(upload))
    take = finished_take(shot, 1)
    shot.circled_take = take
    shot.save(update_fields=["circled_take"])
    second = finished_take(shot, 2)
    frame = finished_take(shot, 3, kind=TakeKind.FRAME)
    failed = paid_take(shot, number=4, model="previz", provider="previz", state=TakeState.FAILED)
    other_take = finished_take(other_scene_shot, 1)
    other_project_shot = ShotFactory(label="X1")
    foreign_take = finished_take(other_project_shot, 1)
    owner = members["owner"]
    scene_link = review_link_create(
        project=project, created_by=owner, label="Client", scene=scenes[0]
    )
    whole_link = review_link_create(project=project, created_by=owner, label="Whole")
    return SimpleNamespace(
        project=project,
        members=members,
        owner=owner,
        scenes=scenes,
        shot=shot,
        other_scene_shot=other_scene_shot,
        other_project_shot=other_project_shot,
        take=take,
        second=second,
        frame=frame,
        failed=failed,
        other_take=other_take,
        foreign_take=foreign_take,
        link=scene_link,
        whole_link=whole_link,
    )
