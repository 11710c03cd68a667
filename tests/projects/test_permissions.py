"""Who may do what: every URL of the projects app against five actors, plus tenancy and team rules.

The ROUTES table lists every (URL name, method) the app serves and the least role it needs:
"login" (any signed-in user), "view" (any member), "edit" (editor or owner), "own" (owner).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from projects import urls
from projects.images import clean_uploaded_image
from projects.models import (
    Comment,
    Deliverable,
    LedgerEntry,
    Membership,
    Project,
    PromptTemplate,
    PromptTemplateVersion,
    ReferenceImage,
    ReviewLink,
    Role,
    Scene,
    Shot,
    ShotStatus,
    Take,
    TakeState,
    TeamPreset,
)
from projects.selectors.shot_spec import shot_spec
from projects.services.projects import member_change_role, project_archive
from projects.services.review_links import review_link_create
from projects.services.shot_media import (
    reference_add,
    shot_set_hero_frame,
    shot_set_last_frame,
    shot_set_voice_sample,
)
from providers.core import catalog
from providers.design.presets import PRESETS
from tests.factories import (
    MembershipFactory,
    ProjectFactory,
    SceneFactory,
    ShotFactory,
    UserFactory,
    card_form_data,
    image_bytes,
    kling_template_versions,
    paid_take,
    shot_form_data,
    take_of,
)

RANK = {"login": 0, "view": 1, "edit": 2, "own": 3}
ACTOR_RANK = {"outsider": 0, "viewer": 1, "editor": 2, "owner": 3}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    need: str
    ok: int  # the status an allowed actor gets
    kind: str | None = None
    changes: bool = field(default=True)  # an allowed POST writes to the database
    action: str | None = None  # take-action: which action, on a take in a state that allows it

    def __str__(self) -> str:
        kind = f"[{self.kind or self.action}]" if self.kind or self.action else ""
        return f"{self.method} {self.name}{kind}"


ROUTES = [
    Route("list", "GET", "login", 200),
    Route("create", "GET", "login", 200),
    Route("create", "POST", "login", 302),
    Route("dashboard", "GET", "login", 200),
    Route("storyboard", "GET", "view", 200),
    Route("animatic", "GET", "view", 200),
    Route("settings", "GET", "view", 200),
    Route("settings", "POST", "own", 302),
    Route("delete", "POST", "own", 302),
    # Only an archived project can be restored: on this one the owner is told so.
    Route("restore", "POST", "own", 302, changes=False),
    Route("members", "GET", "view", 200),
    Route("members", "POST", "own", 302),
    Route("member-role", "POST", "own", 302),
    Route("member-remove", "POST", "own", 302),
    Route("scene-create", "POST", "edit", 302),
    # Importing a screenplay: the upload answers with a preview and saves nothing yet.
    Route("screenplay-import", "GET", "edit", 200),
    Route("screenplay-import", "POST", "edit", 200, changes=False),
    Route("scene-edit", "GET", "view", 200),  # view only for viewers
    Route("scene-edit", "POST", "edit", 302),
    # Refused with a message here: the shot has takes in flight (tests/projects/test_deleting.py).
    Route("scene-delete", "POST", "edit", 302, changes=False),
    Route("scene-move", "POST", "edit", 302),
    Route("shot-create", "POST", "edit", 302),
    Route("shot", "GET", "view", 200),
    Route("shot", "POST", "edit", 302),
    Route("shot-card-edit", "GET", "edit", 302),  # without HTMX it sends you to the editor
    Route("shot-card-edit", "POST", "edit", 302),
    Route("shot-move", "GET", "edit", 200),  # the card's actions menu, fetched when opened
    Route("shot-move", "POST", "edit", 302),
    Route("shot-delete", "POST", "edit", 302, changes=False),  # takes in flight, as above
    Route("shot-preview", "POST", "edit", 200, changes=False),
    Route("shot-compare", "GET", "view", 200),
    Route("shot-use-model", "POST", "edit", 302),
    Route("shot-apply-preset", "POST", "edit", 302),
    Route("preset-create", "POST", "edit", 302),
    Route("preset-delete", "POST", "edit", 302),
    Route("reference-add", "POST", "edit", 302),
    Route("reference-remove", "POST", "edit", 302),
    Route("shot-voice", "GET", "view", 200),
    Route("shot-image", "GET", "view", 200, kind="hero"),
    Route("shot-image", "GET", "view", 200, kind="hero-thumb"),
    Route("shot-image", "GET", "view", 200, kind="last"),
    Route("shot-image", "GET", "view", 200, kind="last-thumb"),
    Route("reference-image", "GET", "view", 200, kind="full"),
    Route("reference-image", "GET", "view", 200, kind="thumb"),
    Route("scene-generate", "POST", "edit", 302),
    Route("take-create", "POST", "edit", 302),
    Route("takes-compare", "GET", "view", 200),
    Route("take-card", "GET", "view", 200),
    Route("take-action", "POST", "edit", 302, action="cancel"),
    Route("take-action", "POST", "edit", 302, action="circle"),
    Route("take-action", "POST", "edit", 302, action="retry"),
    Route("take-action", "POST", "edit", 302, action="mark-failed"),
    Route("take-action", "POST", "edit", 302, action="fetch-again"),
    Route("take-action", "POST", "own", 302, action="approve"),
    Route("take-action", "POST", "own", 302, action="decline"),
    Route("take-refund", "POST", "own", 302, action="refund"),
    # Promoting needs a connected premium model; without keys it is refused with a message.
    Route("take-action", "POST", "edit", 302, action="promote", changes=False),
    # The world's takes are previz, which cannot extend nor draft: refused with a message.
    Route("take-extend", "POST", "edit", 302, changes=False),
    Route("take-draft", "POST", "edit", 302, changes=False),
    Route("take-media", "GET", "view", 200, kind="video.mp4"),
    Route("take-media", "GET", "view", 200, kind="poster.jpg"),
    Route("take-media", "GET", "view", 200, kind="thumb.jpg"),
    Route("queue", "GET", "view", 200),
    Route("frames", "GET", "view", 200),
    Route("frames-candidates", "GET", "view", 200),
    # No still model is priced in this world: refused with a message, nothing held.
    Route("frames-create", "POST", "edit", 302, changes=False),
    Route("frame-use", "POST", "edit", 302, action="frame"),
    Route("frame-still", "GET", "view", 200, action="frame"),
    # Live boards: the poll, one card of the board, and the event stream (404 without Redis).
    Route("live", "GET", "view", 200),
    Route("shot-board-card", "GET", "view", 200),
    # Only an ASGI server streams (tests/test_live_stream.py); this WSGI client gets 404.
    Route("live-stream", "GET", "view", 404),
    # Activity and notifications. Notifications are per person, not per project: the world's
    # one is the bystander's, so everyone else's read and open of it is a 404 (only your own).
    Route("activity", "GET", "view", 200),
    Route("notifications", "GET", "login", 200),
    Route("notifications-read", "POST", "login", 302, changes=False),
    Route("notification-settings", "GET", "login", 200),
    Route("notification-settings", "POST", "login", 302, changes=False),
    Route("notification-read", "POST", "login", 404, changes=False),
    Route("notification-go", "POST", "login", 404, changes=False),
    # Review links (the guests' side has its own table: tests/projects/test_review_permissions.py).
    Route("review-links", "GET", "own", 200),
    Route("review-links", "POST", "own", 302),
    Route("review-link-revoke", "POST", "own", 302),
    # Comments and frame notes: any member comments (viewers are the reviewers). The world's
    # comments are the owner's, and only their author edits or deletes one; resolving is for
    # the author, editors and owners.
    Route("comments", "GET", "view", 200),
    Route("comments", "POST", "view", 302),
    Route("comment-edit", "POST", "own", 302),
    Route("comment-delete", "POST", "own", 302),
    Route("comment-resolve", "POST", "edit", 302),
    Route("comment-reopen", "POST", "edit", 302, kind="resolved"),
    Route("take-review", "GET", "view", 200),
    Route("shot-approve", "POST", "own", 302),
    Route("shot-unapprove", "POST", "own", 302),
    # The film leaves the studio: anyone who sees the project downloads; editors have workers
    # make deliverables (nothing is spent, but a render is a change to the project).
    Route("exports", "GET", "view", 200),
    Route("exports", "POST", "edit", 302),
    # Prompt templates: viewers read them and try them on a shot; editors save and revert.
    Route("project-prompt-templates", "GET", "view", 200),
    Route("project-prompt-template", "GET", "view", 200),
    Route("project-prompt-template", "POST", "edit", 302),
    Route("project-prompt-template-preview", "POST", "view", 200, changes=False),
    Route("project-prompt-template-revert", "POST", "edit", 302),
    Route("export-download", "GET", "view", 200, kind="otio"),
    Route("export-download", "GET", "view", 200, kind="csv"),
    Route("deliverable", "GET", "view", 200),
    Route("deliverable-file", "GET", "view", 200),
]
POST_ONLY = sorted(
    {r.name for r in ROUTES if r.method == "POST"} - {r.name for r in ROUTES if r.method == "GET"}
)
READ_ONLY = sorted(
    {r.name for r in ROUTES if r.method == "GET"} - {r.name for r in ROUTES if r.method == "POST"}
)


def shot_post(shot: Shot, **changes) -> dict:
    """Every field of the shot editor, as the page would post it."""
    data = {
        "label": shot.label,
        "status": shot.status,
        "subject": shot.subject,
        "action": shot.action,
        "context": shot.context,
        "style": shot.style,
        "shot_size": shot.shot_size,
        "camera_angle": shot.camera_angle,
        "lens_mm": shot.lens_mm,
        "duration_seconds": shot.duration_seconds,
        "aspect_ratio": shot.aspect_ratio,
        "target_model": shot.target_model,
        "resolution": shot.resolution,
        "dialogue": shot.dialogue,
        "dialogue_language": shot.dialogue_language,
        "beats": shot.beats,
        "sound_effects": shot.sound_effects,
        "ambience": shot.ambience,
        "negative_prompt": shot.negative_prompt,
        "seed": "" if shot.seed is None else shot.seed,
        "motion_preset": shot.motion_preset,
        "camera_notes": shot.camera_notes,
        "notes": shot.notes,
        **{axis: 0 for axis in catalog.CAMERA_AXES},
        **{
            name: value
            for name, value in shot_form_data(shot).items()
            if name in ("version", "base")
        },
    }
    if shot.audio:
        data["audio"] = "on"
    data.update(changes)
    return data


@pytest.fixture
def world(project, owner, editor, viewer, outsider, scene, shot, png_upload):
    shot_set_hero_frame(shot=shot, image=clean_uploaded_image(png_upload()))
    shot_set_last_frame(shot=shot, image=clean_uploaded_image(png_upload()))
    shot_set_voice_sample(
        shot=shot, sample=ContentFile(b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(64), "voice.wav")
    )
    reference = reference_add(shot=shot, image=clean_uploaded_image(png_upload()))
    preset = services_team_preset(shot, owner)
    kling_template_versions(project, owner)  # a v1 for revert
    shot.status = ShotStatus.READY
    shot.save()
    takes = {
        "circle": make_take(shot, 1, TakeState.SUCCEEDED),
        "cancel": make_take(shot, 2, TakeState.QUEUED),
        "retry": make_take(shot, 3, TakeState.FAILED),
        "mark-failed": make_take(shot, 4, TakeState.NEEDS_CHECK),
        "approve": make_take(shot, 5, TakeState.AWAITING_APPROVAL),
        "decline": make_take(shot, 6, TakeState.AWAITING_APPROVAL),
        "promote": make_take(shot, 7, TakeState.SUCCEEDED),
        "refund": paid_take(shot, number=8, held="0.50", actual="0.50"),
        "fetch-again": make_take(shot, 9, TakeState.RESULT_LOST),
        "frame": make_frame_take(shot, 10),
    }
    # Circled and approved for final, so both approving (again) and withdrawing change it.
    Shot.objects.filter(pk=shot.pk).update(
        circled_take=takes["refund"], approved_at=timezone.now(), approved_by=owner
    )
    bystander = MembershipFactory(project=project, role=Role.VIEWER)
    notification = bystanders_notification(project, bystander.user)
    # Starting projects is an admin's grant, not a project role (tests/projects/test_accounts.py):
    # every actor here has it, so "create" stays a "login" route in the table.
    starter = Permission.objects.get(codename="add_project")
    for user in (owner, editor, viewer, outsider):
        user.user_permissions.add(starter)
    return SimpleNamespace(
        project=project,
        scene=scene,
        shot=shot,
        reference=reference,
        preset=preset,
        takes=takes,
        bystander=bystander,
        notification=notification,
        invitee=UserFactory(username="newcomer"),
        actors={"owner": owner, "editor": editor, "viewer": viewer, "outsider": outsider},
        review_link=review_link_create(project=project, created_by=owner, label="Client"),
        comments=owners_comments(shot, owner),
        deliverable=made_package(project, owner),
    )


def owners_comments(shot: Shot, owner) -> dict:
    """An open comment and a resolved one, both the owner's."""
    from projects.services.comments import comment_add, comment_resolve

    resolved = comment_add(shot=shot, author=owner, body="Settled")
    comment_resolve(comment=resolved, user=owner)
    return {"open": comment_add(shot=shot, author=owner, body="Look"), "resolved": resolved}


def made_package(project: Project, user) -> Deliverable:
    """An editor package a worker finished, with its file."""
    deliverable = Deliverable.objects.create(
        project=project, kind="package", state="ready", requested_by=user
    )
    deliverable.file.save("package.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    return deliverable


def bystanders_notification(project: Project, user):
    from projects.services.activity import activity_record
    from projects.services.notifications import notify

    line = activity_record(project_id=project.pk, kind="take_finished", summary="Take 1 is ready")
    return notify(users=[user], activity=line, reason="take_finished")[0]


def make_take(shot: Shot, number: int, state: str) -> Take:
    take = take_of(
        shot,
        number,
        # Each its own request, so a retry is never offered another take as a duplicate.
        prompt=f"A keeper, take {number}.",
        spec=dataclasses.asdict(shot_spec(shot)),
        state=state,
    )
    if state == TakeState.RESULT_LOST:  # the provider's link may still work
        Take.objects.filter(pk=take.pk).update(
            downloading_at=timezone.now(), result_url="file:///previz-jobs/lost.mp4"
        )
    if state == TakeState.SUCCEEDED:
        take.video.save("take.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
        take.poster.save("poster.jpg", ContentFile(image_bytes("JPEG")), save=False)
        take.thumbnail.save("thumb.jpg", ContentFile(image_bytes("JPEG")), save=False)
        take.save()
    return take


def make_frame_take(shot: Shot, number: int) -> Take:
    """A ready hero-frame candidate (services/frames.py), which "Use as hero frame" takes."""
    take = make_take(shot, number, TakeState.QUEUED)
    take.kind, take.model, take.state = "frame", "previz-still", TakeState.SUCCEEDED
    take.still.save("still.jpg", ContentFile(image_bytes("JPEG")), save=False)
    take.thumbnail.save("thumb.jpg", ContentFile(image_bytes("JPEG")), save=False)
    take.save()
    return take


def services_team_preset(shot: Shot, user) -> TeamPreset:
    from projects.services.design import team_preset_save

    return team_preset_save(shot=shot, name="House look", user=user)


def url_of(route: Route, w: SimpleNamespace) -> str:
    pattern = next(p for p in urls.urlpatterns if p.name == route.name)
    values = {
        "project_id": w.project.pk,
        "scene_id": w.scene.pk,
        "shot_id": w.shot.pk,
        "member_id": w.bystander.pk,
        "notification_id": getattr(getattr(w, "notification", None), "pk", None),
        "link_id": getattr(getattr(w, "review_link", None), "pk", None),
        "deliverable_id": getattr(getattr(w, "deliverable", None), "pk", None),
        "comment_id": w.comments["resolved" if route.kind == "resolved" else "open"].pk
        if hasattr(w, "comments")
        else None,
        "preset_id": w.preset.pk,
        "ref_id": w.reference.pk,
        "kind": route.kind,
        "take_id": w.takes[route.action or "circle"].pk,
        "action": route.action,
        "family": "kling",
    }
    kwargs = {name: values[name] for name in pattern.pattern.converters}
    url = reverse(f"projects:{route.name}", kwargs=kwargs)
    if route.name == "export-download":  # the format is the form's, in the query
        url += f"?format={route.kind}"
    return url


def post_data(route: Route, w: SimpleNamespace) -> dict:
    shot, scene = w.shot, w.scene
    return {
        "create": {"name": "Second film", "aspect_ratio": "16:9", "default_model": "previz"},
        "settings": {"name": "Renamed", "aspect_ratio": "16:9", "default_model": "previz"},
        "notification-settings": {"email": "daily"},
        "members": {"who": w.invitee.username, "role": Role.EDITOR},
        "member-role": {"role": Role.EDITOR},
        "scene-create": {"new-scene-title": "The cliff"},
        "screenplay-import": {
            "file": SimpleUploadedFile("cliff.fountain", b"EXT. CLIFF - DAY\n\nWind.\n"),
            "dialogue_language": "en",
        },
        "scene-edit": {f"scene-{scene.pk}-number": 7, f"scene-{scene.pk}-title": "Renamed"},
        "scene-move": {"direction": "later"},
        "shot-create": {
            f"add-{scene.pk}-subject": "A gull",
            f"add-{scene.pk}-shot_size": "cu",
            f"add-{scene.pk}-duration_seconds": 4,
        },
        "shot": shot_post(shot, subject="Changed"),
        "shot-card-edit": card_form_data(
            shot, subject="Changed", shot_size="cu", duration_seconds=6
        ),
        "shot-move": {"direction": "later", "scene": scene.pk, "position": 0},
        "shot-preview": shot_post(shot, subject="Typed"),
        "shot-use-model": {"model": "veo-3.1"},
        "shot-apply-preset": {"preset": PRESETS[0].slug},
        "preset-create": {"preset-name": "Another look"},
        "take-refund": {"amount": "0.20", "note": "Credit note 12"},
        "review-links": {"label": "Agency", "expires_in_days": "7", "allow_comments": "on"},
        "comments": {"body": "Lovely light @nobody"},
        "comment-edit": {"body": "Changed my mind"},
        "exports": {"kind": "package", "scene": ""},
        "project-prompt-template": {"text": "{{ subject_action|sentence }} In the house style."},
        "project-prompt-template-preview": {"text": "{{ subject|upper }}", "shot": shot.pk},
        "project-prompt-template-revert": {"number": "1"},
        "shot-approve": {"note": "Final"},
        "reference-add": {
            "image": SimpleUploadedFile("ref.png", image_bytes("PNG"), "image/png"),
            "caption": "Lamp",
        },
    }.get(route.name, {})


def snapshot(media_root) -> dict:
    models = (
        get_user_model(),
        Project,
        Membership,
        Scene,
        Shot,
        ReferenceImage,
        TeamPreset,
        Take,
        LedgerEntry,
        ReviewLink,
        Comment,
        Deliverable,
        PromptTemplate,
        PromptTemplateVersion,
    )
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    state["files"] = sorted(str(p) for p in media_root.rglob("*"))
    return state


def request(client, route: Route, w: SimpleNamespace):
    url = url_of(route, w)
    if route.method == "GET":
        return client.get(url)
    return client.post(url, post_data(route, w))


def ids(routes):
    return [str(r) for r in routes]


# --- the table is complete ------------------------------------------------------------------
def test_the_table_covers_every_url_of_the_app():
    assert {p.name for p in urls.urlpatterns} == {r.name for r in ROUTES}


def test_the_table_has_no_duplicate_rows():
    assert len({str(r) for r in ROUTES}) == len(ROUTES)


# --- anonymous ------------------------------------------------------------------------------
@pytest.mark.parametrize("route", ROUTES, ids=ids(ROUTES))
def test_anonymous_is_sent_to_the_login_page(client, world, route, media_root):
    before = snapshot(media_root)
    response = request(client, route, world)
    assert response.status_code == 302
    path, _, query = response.url.partition("?")
    assert path == reverse("login")
    assert QueryDict(query)["next"] == url_of(route, world)
    assert snapshot(media_root) == before


# --- signed-in actors -----------------------------------------------------------------------
@pytest.mark.parametrize("actor", ["outsider", "viewer", "editor", "owner"])
@pytest.mark.parametrize("route", ROUTES, ids=ids(ROUTES))
def test_the_permission_matrix(client, world, route, actor, media_root):
    client.force_login(world.actors[actor])
    before = snapshot(media_root)

    response = request(client, route, world)

    allowed = ACTOR_RANK[actor] >= RANK[route.need]
    if allowed:
        assert response.status_code == route.ok
        if route.method == "POST":
            assert (snapshot(media_root) != before) is route.changes
    else:
        # Non-members learn nothing about the project; members learn they lack the right.
        assert response.status_code == (404 if actor == "outsider" else 403)
        assert snapshot(media_root) == before


@pytest.mark.parametrize("actor", ["outsider", "viewer", "editor", "owner"])
@pytest.mark.parametrize("name", POST_ONLY)
def test_get_on_a_post_only_url_is_not_allowed_and_changes_nothing(
    client, world, name, actor, media_root
):
    # The method check runs before the membership check: 405 says nothing about the project.
    client.force_login(world.actors[actor])
    route = next(r for r in ROUTES if r.name == name)
    before = snapshot(media_root)
    response = client.get(url_of(route, world))
    assert response.status_code == 405
    assert snapshot(media_root) == before


@pytest.mark.parametrize("name", READ_ONLY)
def test_read_only_urls_refuse_post(client, world, name):
    client.force_login(world.actors["viewer"])
    route = next(r for r in ROUTES if r.name == name)
    assert client.post(url_of(route, world)).status_code == 405


def test_viewer_sees_why_a_change_is_refused(client, world):
    client.force_login(world.actors["viewer"])
    response = client.post(reverse("projects:shot-delete", args=[world.project.pk, world.shot.pk]))
    assert response.status_code == 403
    assert Shot.objects.filter(pk=world.shot.pk).exists()


def test_image_kinds_outside_the_list_are_not_found(client, world):
    client.force_login(world.actors["owner"])
    shot_url = reverse("projects:shot-image", args=[world.project.pk, world.shot.pk, "voice"])
    ref_url = reverse("projects:reference-image", args=[world.project.pk, world.reference.pk, "x"])
    assert client.get(shot_url).status_code == 404
    assert client.get(ref_url).status_code == 404


def test_private_images_are_served_privately(client, world):
    client.force_login(world.actors["viewer"])
    response = client.get(
        reverse("projects:shot-image", args=[world.project.pk, world.shot.pk, "hero"])
    )
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["X-Content-Type-Options"] == "nosniff"


# --- archived: view only for everyone, whatever their role -----------------------------------
CHANGES = [r for r in ROUTES if r.method == "POST" and r.need != "login" and r.name != "restore"]
VIEWS = [r for r in ROUTES if r.method == "GET" and r.need == "view"]


@pytest.mark.parametrize("actor", ["viewer", "editor", "owner"])
@pytest.mark.parametrize("route", CHANGES, ids=ids(CHANGES))
def test_an_archived_project_refuses_every_change(client, world, route, actor, media_root):
    from projects.views.access import ARCHIVED

    project_archive(project=world.project, user=world.actors["owner"])
    client.force_login(world.actors[actor])
    before = snapshot(media_root)

    response = request(client, route, world)

    assert response.status_code == 403
    assert ARCHIVED in response.content.decode()
    assert snapshot(media_root) == before


@pytest.mark.parametrize("actor", ["viewer", "owner"])
@pytest.mark.parametrize("route", VIEWS, ids=ids(VIEWS))
def test_an_archived_project_can_still_be_looked_at(client, world, route, actor):
    project_archive(project=world.project, user=world.actors["owner"])
    client.force_login(world.actors[actor])
    assert request(client, route, world).status_code == route.ok


# --- tenancy: another project's ids under your own project's URL ----------------------------
@pytest.fixture
def other(db):
    """Project B, with one of everything, that the actor is not a member of."""
    project = ProjectFactory(name="Someone else's film")
    membership = MembershipFactory(project=project, role=Role.OWNER)
    scene = SceneFactory(project=project)
    shot = ShotFactory(scene=scene)
    shot_set_hero_frame(
        shot=shot, image=clean_uploaded_image(SimpleUploadedFile("b.png", image_bytes("PNG")))
    )
    reference = reference_add(
        shot=shot, image=clean_uploaded_image(SimpleUploadedFile("b.png", image_bytes("PNG")))
    )
    preset = services_team_preset(shot, membership.user)
    takes = {
        "circle": make_take(shot, 1, TakeState.SUCCEEDED),
        "cancel": make_take(shot, 2, TakeState.QUEUED),
        "retry": make_take(shot, 3, TakeState.FAILED),
        "mark-failed": make_take(shot, 4, TakeState.NEEDS_CHECK),
        "approve": make_take(shot, 5, TakeState.AWAITING_APPROVAL),
        "decline": make_take(shot, 6, TakeState.AWAITING_APPROVAL),
        "promote": make_take(shot, 7, TakeState.SUCCEEDED),
        "refund": paid_take(shot, number=8, held="0.50", actual="0.50"),
        "fetch-again": make_take(shot, 9, TakeState.RESULT_LOST),
        "frame": make_frame_take(shot, 10),
    }
    return SimpleNamespace(
        project=project,
        membership=membership,
        scene=scene,
        shot=shot,
        reference=reference,
        preset=preset,
        takes=takes,
        comments=owners_comments(shot, membership.user),
    )


def cross_tenant_world(world, other) -> SimpleNamespace:
    """Project A's id with every object id taken from project B."""
    return SimpleNamespace(
        project=world.project,
        scene=other.scene,
        shot=other.shot,
        reference=other.reference,
        preset=other.preset,
        takes=other.takes,
        comments=other.comments,
        bystander=other.membership,
        invitee=world.invitee,
        actors=world.actors,
    )


OBJECT_ROUTES = [
    r
    for r in ROUTES
    if {"scene_id", "shot_id", "preset_id", "ref_id", "take_id", "comment_id"}
    & set(next(p for p in urls.urlpatterns if p.name == r.name).pattern.converters)
]


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=ids(OBJECT_ROUTES))
def test_another_projects_ids_are_not_found_under_your_project(
    client, world, other, route, media_root
):
    client.force_login(world.actors["owner"])
    mixed = cross_tenant_world(world, other)
    before = snapshot(media_root)
    response = request(client, route, mixed)
    assert response.status_code == 404
    assert snapshot(media_root) == before


def test_your_reference_id_under_another_shot_of_your_project_is_not_found(
    client, world, media_root
):
    sibling = ShotFactory(scene=world.scene)
    client.force_login(world.actors["owner"])
    url = reverse(
        "projects:reference-remove", args=[world.project.pk, sibling.pk, world.reference.pk]
    )
    assert client.post(url).status_code == 404
    assert ReferenceImage.objects.filter(pk=world.reference.pk).exists()


@pytest.mark.parametrize("name", ["member-role", "member-remove"])
def test_another_projects_membership_is_left_alone(client, world, other, name):
    client.force_login(world.actors["owner"])
    url = reverse(f"projects:{name}", args=[world.project.pk, other.membership.pk])
    response = client.post(url, {"role": Role.VIEWER}, follow=True)
    other.membership.refresh_from_db()
    assert other.membership.role == Role.OWNER
    assert response.redirect_chain[-1][0] == reverse("projects:members", args=[world.project.pk])


def test_changing_the_role_of_another_projects_member_says_they_are_gone(client, world, other):
    client.force_login(world.actors["owner"])
    url = reverse("projects:member-role", args=[world.project.pk, other.membership.pk])
    response = client.post(url, {"role": Role.VIEWER}, follow=True)
    assert "That person is no longer on this project." in response.content.decode()


def test_a_shot_cannot_be_moved_into_another_projects_scene(client, world, other):
    client.force_login(world.actors["owner"])
    url = reverse("projects:shot-move", args=[world.project.pk, world.shot.pk])
    response = client.post(url, {"scene": other.scene.pk, "position": 0})
    assert response.status_code == 422
    assert "That move was not understood." in response.content.decode()
    world.shot.refresh_from_db()
    assert world.shot.scene_id == world.scene.pk


def test_another_projects_team_preset_cannot_be_applied(client, world, other):
    client.force_login(world.actors["owner"])
    url = reverse("projects:shot-apply-preset", args=[world.project.pk, world.shot.pk])
    before = Shot.objects.filter(pk=world.shot.pk).values().get()
    response = client.post(url, {"preset": f"team-{other.preset.pk}"}, follow=True)
    assert "That preset no longer exists." in response.content.decode()
    assert Shot.objects.filter(pk=world.shot.pk).values().get() == before


def test_a_member_does_not_see_other_projects_in_the_list(client, world, other):
    client.force_login(world.actors["viewer"])
    html = client.get(reverse("projects:list")).content.decode()
    assert world.project.name in html
    assert other.project.name not in html


# --- owners -----------------------------------------------------------------------------------
def owner_membership(project, user) -> Membership:
    return Membership.objects.get(project=project, user=user)


def test_the_last_owner_cannot_demote_themselves(client, project, owner):
    me = owner_membership(project, owner)
    client.force_login(owner)
    url = reverse("projects:member-role", args=[project.pk, me.pk])
    response = client.post(url, {"role": Role.EDITOR}, follow=True)
    assert (
        "A project needs at least one owner. Make someone else owner first."
        in response.content.decode()
    )
    me.refresh_from_db()
    assert me.role == Role.OWNER


def test_the_last_owner_cannot_remove_themselves(client, project, owner):
    me = owner_membership(project, owner)
    client.force_login(owner)
    url = reverse("projects:member-remove", args=[project.pk, me.pk])
    response = client.post(url, follow=True)
    assert (
        "A project needs at least one owner. Make someone else owner first."
        in response.content.decode()
    )
    me.refresh_from_db()
    assert me.role == Role.OWNER


def test_the_last_owner_keeps_the_role_when_the_service_is_asked_to_demote(project, owner):
    from django.core.exceptions import ValidationError

    me = owner_membership(project, owner)
    with pytest.raises(ValidationError):
        member_change_role(membership=me, role=Role.VIEWER)
    me.refresh_from_db()
    assert me.role == Role.OWNER


def test_an_owner_can_step_down_once_there_is_another_owner(client, project, owner):
    MembershipFactory(project=project, role=Role.OWNER)
    me = owner_membership(project, owner)
    client.force_login(owner)
    url = reverse("projects:member-role", args=[project.pk, me.pk])
    response = client.post(url, {"role": Role.EDITOR}, follow=True)
    assert f"{owner.username} is now Editor." in response.content.decode()
    me.refresh_from_db()
    assert me.role == Role.EDITOR


def test_an_unknown_role_is_refused(client, project, owner, viewer):
    target = owner_membership(project, viewer)
    client.force_login(owner)
    url = reverse("projects:member-role", args=[project.pk, target.pk])
    response = client.post(url, {"role": "admin"}, follow=True)
    assert "Choose owner, editor or viewer." in response.content.decode()
    target.refresh_from_db()
    assert target.role == Role.VIEWER


def invite(client, project, who, role=Role.EDITOR):
    return client.post(reverse("projects:members", args=[project.pk]), {"who": who, "role": role})


def test_owner_invites_by_username(client, project, owner):
    UserFactory(username="mara")
    client.force_login(owner)
    response = invite(client, project, "mara")
    assert response.status_code == 302
    member = Membership.objects.get(project=project, user__username="mara")
    assert member.role == Role.EDITOR
    page = client.get(response.url).content.decode()
    assert "mara joined as Editor." in page


def test_owner_invites_by_username_ignoring_case(client, project, owner):
    UserFactory(username="mara")
    client.force_login(owner)
    assert invite(client, project, "  MARA ", Role.VIEWER).status_code == 302
    assert Membership.objects.get(project=project, user__username="mara").role == Role.VIEWER


def test_owner_invites_by_email_ignoring_case(client, project, owner):
    UserFactory(username="jo", email="jo.keeper@example.org")
    client.force_login(owner)
    response = invite(client, project, "Jo.Keeper@EXAMPLE.org")
    assert response.status_code == 302
    assert Membership.objects.filter(project=project, user__username="jo").exists()


def test_inviting_someone_unknown_is_refused(client, project, owner):
    client.force_login(owner)
    response = invite(client, project, "x")
    assert response.status_code == 422
    html = response.content.decode()
    field = html[html.index('id="field-who"') :]
    field = field[: field.index("</div>")]
    assert "No one here has the username or email “x”." in field
    assert project.memberships.count() == 1


def test_an_inactive_user_cannot_be_invited(client, project, owner):
    UserFactory(username="gone", is_active=False)
    client.force_login(owner)
    response = invite(client, project, "gone")
    assert response.status_code == 422
    assert "No one here has the username or email “gone”." in response.content.decode()


def test_inviting_a_member_again_is_refused(client, project, owner, editor):
    client.force_login(owner)
    response = invite(client, project, editor.email.upper(), Role.VIEWER)
    assert response.status_code == 422
    assert f"{editor.username} is already on this project." in response.content.decode()
    assert Membership.objects.get(project=project, user=editor).role == Role.EDITOR
