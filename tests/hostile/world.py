"""The studio the hostile suite attacks: one project with every kind of record in it, the five
kinds of visitor, and a second project that belongs to the outsider."""

from __future__ import annotations

import io
import struct
import wave
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from projects.images import clean_uploaded_image
from projects.models import (
    Membership,
    MemberSpend,
    ReviewLink,
    Role,
    Shot,
    Take,
    TakeState,
    TeamPreset,
)
from projects.selectors.snapshots import request_snapshot
from projects.services.comments import comment_add, comment_resolve
from projects.services.review_links import review_link_create, review_link_revoke
from projects.services.shot_media import (
    reference_add,
    shot_set_hero_frame,
    shot_set_last_frame,
    shot_set_voice_sample,
)
from tests.factories import (
    MembershipFactory,
    ProjectFactory,
    SceneFactory,
    ShotFactory,
    UserFactory,
    image_bytes,
    kling_template_versions,
    paid_take,
)

ROLES = ("owner", "editor", "viewer", "outsider", "anonymous")
# The world's review link for the whole project (a fixed token, so the harness can name it).
REVIEW_TOKEN = "hostile-world-review-link-0123456789abcdefgh"
REVIEW_LOCKED_TOKEN = "hostile-world-locked-review-link-0123456789"  # password REVIEW_PASSWORD
REVIEW_GONE_TOKEN = "hostile-world-revoked-review-link-012345678"
REVIEW_PASSWORD = "lamp post"


@dataclass
class World:
    users: dict  # role -> user (no "anonymous")
    staff: object
    project: object
    other_project: object
    scenes: list
    shots: list
    takes: dict  # state -> take
    reference: object
    preset: object
    memberships: dict  # role -> Membership
    ids: dict = field(default_factory=dict)  # URL kwarg -> the values to try
    clients: dict = field(default_factory=dict)  # role -> a signed-in test client
    forms: list = field(default_factory=list)  # every form the pages render
    methods: dict = field(default_factory=dict)  # route name -> the methods it accepts
    media_root: object = None
    baseline: tuple = ()  # (rows, media files) as every case finds them


def png_upload(name: str = "frame.png", size=(64, 48)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG", size=size), content_type="image/png")


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


def take(shot, number: int, state: str, **fields) -> Take:
    """A take as the pipeline records one: the shot's real request, in `state`."""
    request = request_snapshot(shot)
    fields.setdefault("estimated_cost", request.pop("estimated_cost"))
    return Take.objects.create(
        project=shot.project, shot=shot, number=number, state=state, **request, **fields
    )


def build_world() -> World:
    project = ProjectFactory(name="The Last Lamp", budget=Decimal("100.00"))
    memberships = {
        role: MembershipFactory(project=project, role=getattr(Role, role.upper()))
        for role in ("owner", "editor", "viewer")
    }
    users = {role: membership.user for role, membership in memberships.items()}
    users["outsider"] = UserFactory()
    other_project = MembershipFactory(user=users["outsider"], role=Role.OWNER).project
    SceneFactory(project=other_project)
    staff = UserFactory(is_staff=True, is_superuser=True)
    # The owner may start projects (an admin granted it), so the New project form renders.
    users["owner"].user_permissions.add(Permission.objects.get(codename="add_project"))

    scenes = [SceneFactory(project=project, number=n, order=n) for n in (1, 2)]
    shots = [
        ShotFactory(scene=scenes[0], label="1A", target_model="previz", duration_seconds=4),
        ShotFactory(scene=scenes[0], label="1B", target_model="veo-3.1", duration_seconds=8),
        ShotFactory(scene=scenes[1], label="2A", target_model="previz", duration_seconds=4),
    ]
    ShotFactory(scene=other_project.scenes.first(), label="X1")
    hero = shots[0]
    shot_set_hero_frame(shot=hero, image=clean_uploaded_image(png_upload()))
    shot_set_last_frame(shot=hero, image=clean_uploaded_image(png_upload("last.png")))
    shot_set_voice_sample(shot=hero, sample=ContentFile(wav_bytes(), name="voice.wav"))
    reference = reference_add(
        shot=hero, image=clean_uploaded_image(png_upload("ref.png")), caption="the lamp"
    )
    preset = TeamPreset.objects.create(
        project=project, name="Slow push", target_model="previz", duration_seconds=4
    )

    owner = users["owner"]
    # The project's and the studio's Kling templates with a v1 to revert to, so the editors
    # render their revert forms.
    kling_template_versions(project, owner)
    kling_template_versions(None, staff)
    done = paid_take(hero, number=1, user=owner, model="previz", provider="previz")
    Take.objects.filter(pk=done.pk).update(
        **{k: v for k, v in request_snapshot(hero).items() if k != "estimated_cost"}
    )
    done.refresh_from_db()
    done.video.save("t.mp4", ContentFile(bytes(range(256)) * 8), save=False)
    done.poster.save("p.jpg", ContentFile(image_bytes("JPEG")), save=False)
    done.thumbnail.save("t.jpg", ContentFile(image_bytes("JPEG")), save=False)
    done.save()
    hero.circled_take = done
    hero.save(update_fields=["circled_take"])
    # Shot 1B approved for final, so its page shows the owner's "Withdraw approval" form
    # (the hero shot, circled but not approved, shows "Approve").
    Shot.objects.filter(pk=shots[1].pk).update(
        approved_at=timezone.now(), approved_by=owner, status="approved"
    )
    takes = {
        TakeState.SUCCEEDED: done,
        TakeState.FAILED: take(hero, 2, TakeState.FAILED, error_message="boom"),
        TakeState.QUEUED: take(hero, 3, TakeState.QUEUED),
        TakeState.AWAITING_APPROVAL: take(
            hero, 4, TakeState.AWAITING_APPROVAL, estimated_cost=Decimal("3.00")
        ),
        TakeState.NEEDS_CHECK: take(hero, 5, TakeState.NEEDS_CHECK, finished_at=timezone.now()),
        TakeState.RUNNING: take(hero, 6, TakeState.RUNNING, remote_id="take-world-6"),
        TakeState.RESULT_LOST: take(
            hero, 7, TakeState.RESULT_LOST, remote_id="take-world-7", finished_at=timezone.now()
        ),
    }
    # A project of the owner's that was archived, so pages that offer a restore render it.
    archived = MembershipFactory(user=owner, role=Role.OWNER).project
    archived.archived_at, archived.archived_by = timezone.now(), owner
    archived.save(update_fields=["archived_at", "archived_by"])
    MemberSpend.objects.get_or_create(
        project=project, user=owner, month=timezone.localdate().replace(day=1)
    )
    for token, password in (
        (REVIEW_TOKEN, ""),
        (REVIEW_LOCKED_TOKEN, REVIEW_PASSWORD),
        (REVIEW_GONE_TOKEN, ""),
    ):
        link = review_link_create(project=project, created_by=owner, password=password)
        ReviewLink.objects.filter(pk=link.pk).update(token=token)
    review_link_revoke(link=link, revoked_by=owner)
    # The owner's comments (open and resolved) and a drawn note on the finished take, so the
    # comment panel and the review page render every comment form for the owner.
    said = comment_add(shot=hero, author=owner, body="Warmer light, @nobody")
    settled = comment_add(shot=hero, author=owner, body="Settled")
    comment_resolve(comment=settled, user=owner)
    note = comment_add(
        shot=hero,
        take=done,
        author=owner,
        body="Here",
        at_seconds=0.5,
        drawing={"shape": "box", "points": [[0.1, 0.1], [0.4, 0.5]]},
    )
    # Notifications: the owner's (so the list page renders read, open and mark-all forms) and
    # the outsider's, which nobody else may read or open.
    from projects.services.activity import activity_record
    from projects.services.notifications import notify

    news = activity_record(
        project_id=project.pk, kind="take_finished", summary="Take 1 is ready", shot_id=hero.pk
    )
    told = notify(users=[owner, users["outsider"]], activity=news, reason="take_finished")
    # Deliverables: a ready animatic with its file (download and play), one still queued (the
    # polled card) and one that failed (its message on the card).
    from projects.models import Deliverable

    ready = Deliverable.objects.create(
        project=project, kind="animatic", state="ready", options={"resolution": "720p"}
    )
    ready.file.save("animatic.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"))
    made = [
        ready,
        Deliverable.objects.create(project=project, kind="package", scene=scenes[0]),
        Deliverable.objects.create(project=project, kind="package", state="failed", error="x"),
    ]
    world = World(
        users=users,
        staff=staff,
        project=project,
        other_project=other_project,
        scenes=scenes,
        shots=shots,
        takes=takes,
        reference=reference,
        preset=preset,
        memberships=memberships,
    )
    world.ids = {
        "project_id": [project.pk],
        "scene_id": [scene.pk for scene in scenes],
        "shot_id": [shot.pk for shot in shots],
        "take_id": [t.pk for t in takes.values()],
        "member_id": [m.pk for m in Membership.objects.filter(project=project).order_by("pk")],
        "ref_id": [reference.pk],
        "preset_id": [preset.pk],
        "link_id": list(project.review_links.order_by("pk").values_list("pk", flat=True)),
        "comment_id": [said.pk, settled.pk, note.pk],
        "notification_id": [n.pk for n in told],
        "deliverable_id": [d.pk for d in made],
    }
    return world


# --- bogus files ----------------------------------------------------------------------------
def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png() -> bytes:
    """A PNG header announcing 30 000 × 30 000 pixels (900 MP) over a few bytes of data."""
    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def bogus_files(accept: str = "image/") -> dict[str, SimpleUploadedFile]:
    """Files a browser could send that no studio should keep in an input that accepts
    `accept`, each fresh (an upload is read once)."""
    png = image_bytes("PNG")
    files = {
        "not an image": SimpleUploadedFile("frame.png", b"hello, not a picture", "image/png"),
        "svg": SimpleUploadedFile(
            "frame.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
            "image/svg+xml",
        ),
        "decompression bomb": SimpleUploadedFile("bomb.png", bomb_png(), "image/png"),
        "truncated png": SimpleUploadedFile("cut.png", png[: len(png) // 2], "image/png"),
        "zero bytes": SimpleUploadedFile("empty.png", b"", "image/png"),
        "png named jpg": SimpleUploadedFile("frame.jpg", png, "image/jpeg"),
        "html as png": SimpleUploadedFile("x.png", b"<html><script>1</script>", "text/html"),
        "image as voice": SimpleUploadedFile("voice.wav", png, "audio/wav"),
        "nul in the name": SimpleUploadedFile("a\x00b.png", b"\x00" * 64, "image/png"),
    }
    if "audio" not in accept:  # voice samples are judged by content: a WAV is a WAV
        files["wav named png"] = SimpleUploadedFile("voice.png", wav_bytes(), "image/png")
    return files
