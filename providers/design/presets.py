"""Built-in shot presets ("click to video"): a camera move, framing, style words, duration and
the model that plays them best. Moves come from Higgsfield's motion library (motions.py) and
the common grammar of set work; teams add their own presets per project in `projects`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from providers.core.spec import CameraMove


@dataclass(frozen=True)
class ShotPreset:
    slug: str
    name: str
    description: str
    model: str
    duration_seconds: int
    style: str
    shot_size: str
    camera_angle: str = "eye"
    camera: CameraMove = field(default_factory=CameraMove)
    motion_preset: str = ""
    resolution: str = "720p"
    audio: bool = False


PRESETS: tuple[ShotPreset, ...] = (
    ShotPreset(
        "slow-dolly-in",
        "Slow dolly in",
        "Creep towards the subject to build intimacy.",
        "kling-2.6-pro",
        5,
        "intimate, shallow depth of field",
        "mcu",
        camera=CameraMove(dolly=3),
        resolution="1080p",
    ),
    ShotPreset(
        "crane-up-reveal",
        "Crane up reveal",
        "Rise from the subject to reveal the world.",
        "veo-3.1",
        8,
        "epic, soft morning light",
        "ws",
        motion_preset="crane_up",
    ),
    ShotPreset(
        "arc-hero",
        "Hero arc",
        "Half-orbit around a hero from a low angle.",
        "higgsfield-dop-turbo",
        5,
        "heroic, rim light",
        "ms",
        "low",
        motion_preset="arc_right",
    ),
    ShotPreset(
        "handheld-action",
        "Handheld action",
        "Nervous handheld camera for physical action.",
        "kling-2.6-pro",
        5,
        "gritty documentary realism",
        "ms",
        motion_preset="handheld",
        resolution="1080p",
    ),
    ShotPreset(
        "static-dialogue-close-up",
        "Static dialogue close-up",
        "Locked-off close-up for a spoken line with lip-sync.",
        "seedance-1.5-pro",
        8,
        "natural window light, shallow depth of field",
        "cu",
        resolution="1080p",
        audio=True,
    ),
    ShotPreset(
        "crash-zoom",
        "Crash zoom",
        "A sudden punch-in for a reaction beat.",
        "higgsfield-dop-lite",
        5,
        "punchy, high contrast",
        "ms",
        motion_preset="crash_zoom_in",
    ),
    ShotPreset(
        "whip-pan",
        "Whip pan",
        "A whip pan that lands on the subject.",
        "higgsfield-dop-turbo",
        5,
        "energetic, motion blur",
        "ms",
        motion_preset="whip_pan",
    ),
    ShotPreset(
        "side-tracking",
        "Side tracking",
        "Truck alongside a moving subject.",
        "runway-gen4.5",
        10,
        "smooth, cinematic",
        "ms",
        camera=CameraMove(truck=5),
    ),
    ShotPreset(
        "fpv-flyover",
        "FPV fly-over",
        "A fast drone dive over the landscape.",
        "veo-3.1",
        8,
        "aerial, golden hour",
        "ews",
        "high",
        motion_preset="fpv_drone",
    ),
    ShotPreset(
        "dolly-zoom",
        "Dolly zoom",
        "Vertigo: the background stretches, the face holds.",
        "higgsfield-dop-standard",
        5,
        "unsettling, cold light",
        "mcu",
        motion_preset="dolly_zoom",
    ),
    ShotPreset(
        "overhead-establishing",
        "Overhead establishing",
        "Top-down tilt over the set.",
        "veo-3.1-fast",
        6,
        "graphic, symmetrical composition",
        "ews",
        "overhead",
        camera=CameraMove(tilt=-3),
    ),
    ShotPreset(
        "landscape-pan",
        "Slow landscape pan",
        "A slow pan across a wide landscape.",
        "kling-2.6-std",
        10,
        "serene, atmospheric haze",
        "ews",
        camera=CameraMove(pan=3),
    ),
)
PRESETS_BY_SLUG = {p.slug: p for p in PRESETS}
