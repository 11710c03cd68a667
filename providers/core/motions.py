"""Named camera moves (crane up, handheld, arc...) that the six axes cannot express alone.

Names follow Higgsfield's DoP motion presets ([3P] the public preset list; the API's ids are
UUIDs from GET /v1/motions, so the HTTP layer resolves `name` to `id`). Every other model
hears a named move as words: `shot` for "The camera is a ..." sentences and `lead` for Veo's
cinematography clause, which wraps the subject the way the guide's crane example does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from providers.core.spec import CameraMove


@dataclass(frozen=True)
class Motion:
    slug: str
    name: str  # Higgsfield motion name
    shot: str  # noun phrase: "The camera is a {shot}."
    lead: str  # Veo cinematography clause; "{subject}" is replaced by the shot's subject
    axes: CameraMove = field(
        default_factory=CameraMove
    )  # nearest six-axis equivalent, static when there is none


def _m(slug: str, name: str, shot: str, lead: str, **axes: int) -> Motion:
    return Motion(slug, name, shot, lead, CameraMove(**axes))


MOTIONS: dict[str, Motion] = {
    m.slug: m
    for m in (
        _m("static", "Static", "static shot", "static shot of {subject}"),
        _m("handheld", "Handheld", "handheld shot", "handheld shot of {subject}"),
        _m("dolly_in", "Dolly In", "dolly-in shot", "slow dolly in on {subject}", dolly=4),
        _m("dolly_out", "Dolly Out", "dolly-out shot", "slow dolly out from {subject}", dolly=-4),
        _m(
            "super_dolly_in",
            "Super Dolly In",
            "fast dolly-in shot",
            "fast dolly in on {subject}",
            dolly=9,
        ),
        _m(
            "truck_left",
            "Dolly Left",
            "tracking shot",
            "tracking shot sliding left past {subject}",
            truck=-4,
        ),
        _m(
            "truck_right",
            "Dolly Right",
            "tracking shot",
            "tracking shot sliding right past {subject}",
            truck=4,
        ),
        _m("pan_left", "Pan Left", "panning shot", "slow pan left across {subject}", pan=-4),
        _m("pan_right", "Pan Right", "panning shot", "slow pan right across {subject}", pan=4),
        _m("tilt_up", "Tilt Up", "tilt-up shot", "tilt up to reveal {subject}", tilt=4),
        _m("tilt_down", "Tilt Down", "tilt-down shot", "tilt down to reveal {subject}", tilt=-4),
        _m("zoom_in", "Zoom In", "zoom-in shot", "slow zoom in on {subject}", zoom=4),
        _m("zoom_out", "Zoom Out", "zoom-out shot", "slow zoom out from {subject}", zoom=-4),
        _m("crash_zoom_in", "Crash Zoom In", "crash zoom", "crash zoom in on {subject}", zoom=9),
        _m("whip_pan", "Whip Pan", "whip pan", "whip pan to {subject}", pan=10),
        # Crane moves travel vertically: none of our six axes does, so no numeric twin.
        _m(
            "crane_up",
            "Crane Up",
            "crane shot",
            "crane shot starting low on {subject} and ascending high above",
        ),
        _m(
            "crane_down",
            "Crane Down",
            "crane shot",
            "crane shot starting high above {subject} and descending to eye level",
        ),
        # Arcs: truck one way while panning back keeps the subject centred (orbit-ish truck).
        _m(
            "arc_left",
            "Arc Left",
            "arc shot",
            "arc shot circling left around {subject}",
            truck=-5,
            pan=5,
        ),
        _m(
            "arc_right",
            "Arc Right",
            "arc shot",
            "arc shot circling right around {subject}",
            truck=5,
            pan=-5,
        ),
        _m(
            "orbit_360",
            "360 Orbit",
            "360-degree orbit",
            "360-degree orbit around {subject}",
            truck=8,
            pan=-8,
        ),
        _m(
            "dolly_zoom", "Dolly Zoom In", "dolly zoom", "dolly zoom on {subject}", dolly=5, zoom=-5
        ),
        _m(
            "fpv_drone",
            "FPV Drone",
            "FPV drone shot",
            "FPV drone shot flying toward {subject}",
            dolly=8,
        ),
    )
}


def get_motion(slug: str) -> Motion | None:
    return MOTIONS.get(slug)
