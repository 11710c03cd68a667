from django.urls import path, register_converter

from .ids import IdConverter
from .views import (
    activity,
    animatic,
    comments,
    continuations,
    dashboard,
    decisions,
    design,
    exports,
    frames,
    live,
    notifications,
    projects,
    prompt_templates,
    review,
    review_links,
    screenplays,
    shots,
    storyboard,
    takes,
)

app_name = "projects"
# Ids in URLs are 64-bit: a longer number is a 404, not an overflow in the database driver.
register_converter(IdConverter, "id")

P = "<id:project_id>/"


def prompt_template_routes(prefix: str, names: str) -> list:
    """The template editor's routes: for a project's templates, and for the studio's."""
    family = prefix + "<slug:family>/"
    return [
        path(prefix, prompt_templates.template_list, name=f"{names}prompt-templates"),
        path(family, prompt_templates.template_edit, name=f"{names}prompt-template"),
        path(
            family + "preview/",
            prompt_templates.template_preview,
            name=f"{names}prompt-template-preview",
        ),
        path(
            family + "revert/",
            prompt_templates.template_revert,
            name=f"{names}prompt-template-revert",
        ),
    ]


urlpatterns = [
    path("", projects.project_list, name="list"),
    path("new/", projects.project_create, name="create"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    # Prompt templates: each project's own (the studio's defaults: studio_urlpatterns).
    *prompt_template_routes(P + "prompts/", "project-"),
    path(P, storyboard.storyboard, name="storyboard"),
    path(P + "animatic/", animatic.animatic, name="animatic"),
    path(P + "settings/", projects.project_settings, name="settings"),
    path(P + "delete/", projects.project_delete, name="delete"),
    path(P + "restore/", projects.project_restore, name="restore"),
    path(P + "members/", projects.members, name="members"),
    path(P + "members/<id:member_id>/role/", projects.member_role, name="member-role"),
    path(P + "members/<id:member_id>/remove/", projects.member_remove, name="member-remove"),
    path(P + "scenes/new/", storyboard.scene_create, name="scene-create"),
    path(P + "screenplay/", screenplays.screenplay_import, name="screenplay-import"),
    path(P + "scenes/<id:scene_id>/edit/", storyboard.scene_edit, name="scene-edit"),
    path(P + "scenes/<id:scene_id>/delete/", storyboard.scene_delete, name="scene-delete"),
    path(P + "scenes/<id:scene_id>/move/", storyboard.scene_move, name="scene-move"),
    path(P + "scenes/<id:scene_id>/generate/", storyboard.scene_generate, name="scene-generate"),
    path(P + "scenes/<id:scene_id>/shots/new/", storyboard.shot_create, name="shot-create"),
    path(P + "shots/<id:shot_id>/", shots.shot_detail, name="shot"),
    path(P + "shots/<id:shot_id>/card/", storyboard.shot_quick_edit, name="shot-card-edit"),
    path(P + "shots/<id:shot_id>/move/", storyboard.shot_move, name="shot-move"),
    path(P + "shots/<id:shot_id>/delete/", shots.shot_delete, name="shot-delete"),
    path(P + "shots/<id:shot_id>/preview/", design.shot_preview, name="shot-preview"),
    path(P + "shots/<id:shot_id>/compare/", design.shot_compare, name="shot-compare"),
    path(P + "shots/<id:shot_id>/model/", design.shot_use_model, name="shot-use-model"),
    path(P + "shots/<id:shot_id>/preset/", design.shot_apply_preset, name="shot-apply-preset"),
    path(P + "shots/<id:shot_id>/presets/new/", design.team_preset_create, name="preset-create"),
    path(P + "shots/<id:shot_id>/frames/", frames.frames, name="frames"),
    path(P + "shots/<id:shot_id>/frames/list/", frames.frames_candidates, name="frames-candidates"),
    path(P + "shots/<id:shot_id>/frames/new/", frames.frames_create, name="frames-create"),
    path(P + "frames/<id:take_id>/use/", frames.frame_use, name="frame-use"),
    path(P + "frames/<id:take_id>/still.jpg", frames.frame_still, name="frame-still"),
    path(P + "shots/<id:shot_id>/takes/new/", takes.take_create, name="take-create"),
    path(P + "shots/<id:shot_id>/takes/draft/", continuations.take_draft, name="take-draft"),
    path(P + "shots/<id:shot_id>/takes/compare/", takes.takes_compare, name="takes-compare"),
    path(P + "takes/<id:take_id>/", takes.take_card, name="take-card"),
    path(P + "takes/<id:take_id>/refund/", takes.take_refund, name="take-refund"),
    # Before take-action, whose <str:action> would take "extend" for itself.
    path(P + "takes/<id:take_id>/extend/", continuations.take_extend, name="take-extend"),
    path(P + "takes/<id:take_id>/review/", comments.take_review, name="take-review"),
    path(
        P + "takes/<id:take_id>/<str:action>/",
        takes.take_action,
        name="take-action",
    ),
    path(P + "takes/<id:take_id>/file/<str:kind>", takes.take_media, name="take-media"),
    path(P + "queue/", takes.queue, name="queue"),
    path(P + "presets/<id:preset_id>/delete/", design.team_preset_delete, name="preset-delete"),
    path(P + "shots/<id:shot_id>/references/", shots.reference_add, name="reference-add"),
    path(
        P + "shots/<id:shot_id>/references/<id:ref_id>/remove/",
        shots.reference_remove,
        name="reference-remove",
    ),
    path(P + "shots/<id:shot_id>/voice/", shots.shot_voice, name="shot-voice"),
    path(P + "shots/<id:shot_id>/<str:kind>.jpg", shots.shot_image, name="shot-image"),
    path(
        P + "references/<id:ref_id>/<str:kind>.jpg", shots.reference_image, name="reference-image"
    ),
    # --- team review (issue 13) --------------------------------------------------------------
    # comments and frame notes
    path(P + "shots/<id:shot_id>/comments/", comments.comments, name="comments"),
    path(P + "comments/<id:comment_id>/edit/", comments.comment_change, name="comment-edit"),
    path(P + "comments/<id:comment_id>/delete/", comments.comment_remove, name="comment-delete"),
    path(
        P + "comments/<id:comment_id>/resolve/",
        comments.comment_resolve_view,
        name="comment-resolve",
    ),
    path(P + "comments/<id:comment_id>/reopen/", comments.comment_reopen, name="comment-reopen"),
    # (take-review is above, before take-action, whose <str:action> would take "review")
    # activity and notifications
    path(P + "activity/", activity.activity, name="activity"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notifications_read_all, name="notifications-read"),
    path(
        "notifications/settings/",
        notifications.notification_settings,
        name="notification-settings",
    ),
    path(
        "notifications/<id:notification_id>/read/",
        notifications.notification_read,
        name="notification-read",
    ),
    path(
        "notifications/<id:notification_id>/go/",
        notifications.notification_go,
        name="notification-go",
    ),
    # decisions: approval, versions
    path(P + "shots/<id:shot_id>/approve/", decisions.shot_approve, name="shot-approve"),
    path(P + "shots/<id:shot_id>/unapprove/", decisions.shot_unapprove, name="shot-unapprove"),
    # review links (the owner's side; the guest's pages are review_urlpatterns below)
    path(P + "review-links/", review_links.review_links, name="review-links"),
    path(
        P + "review-links/<id:link_id>/revoke/",
        review_links.review_link_revoke_view,
        name="review-link-revoke",
    ),
    # live boards
    path(P + "live/", live.live_poll, name="live"),
    path(P + "live/stream/", live.live_stream, name="live-stream"),
    path(P + "shots/<id:shot_id>/board-card/", live.board_card, name="shot-board-card"),
    # --- the film leaves the studio (issue 14) ------------------------------------------------
    path(P + "exports/", exports.exports, name="exports"),
    path(P + "exports/download/", exports.export_download, name="export-download"),
    path(P + "exports/<id:deliverable_id>/", exports.deliverable_card, name="deliverable"),
    path(
        P + "exports/<id:deliverable_id>/file/",
        exports.deliverable_file,
        name="deliverable-file",
    ),
]

# The pages a guest with a review link sees, under /review/<token>/ (namespace "review"): they
# reach only what the link covers, read-only but for comments.
T = "<str:token>/"
review_urlpatterns: list = [
    path(T, review.review_board_view, name="board"),
    path(T + "unlock/", review.review_unlock, name="unlock"),
    path(T + "seen/", review.review_seen, name="seen"),
    path(T + "shots/<id:shot_id>/", review.review_shot_view, name="shot"),
    path(T + "shots/<id:shot_id>/comments/", review.review_comment, name="comments"),
    path(T + "shots/<id:shot_id>/hero.jpg", review.review_hero, name="hero"),
    path(T + "takes/<id:take_id>/", review.review_take_view, name="take"),
    path(T + "takes/<id:take_id>/<str:kind>", review.review_take_media, name="take-media"),
]

# The studio's default prompt templates (staff change them), outside any project: mounted at
# /prompts/ by studio/urls.py, as "studio:<name>".
studio_urlpatterns: list = prompt_template_routes("", "")
