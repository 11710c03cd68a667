from django.urls import path, register_converter

from .ids import IdConverter
from .views import continuations, dashboard, design, frames, projects, shots, storyboard, takes

app_name = "projects"
# Ids in URLs are 64-bit: a longer number is a 404, not an overflow in the database driver.
register_converter(IdConverter, "id")

P = "<id:project_id>/"
urlpatterns = [
    path("", projects.project_list, name="list"),
    path("new/", projects.project_create, name="create"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path(P, storyboard.storyboard, name="storyboard"),
    path(P + "settings/", projects.project_settings, name="settings"),
    path(P + "delete/", projects.project_delete, name="delete"),
    path(P + "restore/", projects.project_restore, name="restore"),
    path(P + "members/", projects.members, name="members"),
    path(P + "members/<id:member_id>/role/", projects.member_role, name="member-role"),
    path(P + "members/<id:member_id>/remove/", projects.member_remove, name="member-remove"),
    path(P + "scenes/new/", storyboard.scene_create, name="scene-create"),
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
    # activity and notifications
    # decisions: approval, versions
    # review links (the owner's side; the guest's pages are review_urlpatterns below)
    # live boards
]

# The pages a guest with a review link sees, under /review/<token>/ (namespace "review"): they
# reach only what the link covers, read-only but for comments.
review_urlpatterns: list = []
