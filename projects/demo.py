"""The demo film: a short about a lighthouse keeper, with hero frames painted on the spot.

The frames are drawn with Pillow (no downloads) so `make run` works offline and every clone
gets the same pictures.
"""

from __future__ import annotations

import io
import math
import random

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFilter

from projects.services.board import scene_create, shot_create
from projects.services.projects import project_create
from projects.services.shot_media import shot_set_hero_frame

from .images import clean_uploaded_image
from .models import Project, ShotStatus

DEMO_PROJECT = "The Last Lamp"
SIZE = (1280, 720)

SCENES = [
    {
        "title": "Storm Coming",
        "location": "Cliffs above the lighthouse",
        "time_of_day": "Dusk",
        "description": "Mara sees the storm front roll in and runs for the tower.",
        "shots": [
            dict(
                subject="A lone lighthouse on black cliffs",
                action="waves explode against rocks",
                context="storm clouds gathering over a grey sea",
                style="moody, desaturated, 35mm film grain",
                shot_size="ews",
                dolly=4,
                tilt=2,
                duration_seconds=8,
                motif="lighthouse",
                palette=((38, 44, 62), (120, 96, 92)),
                status=ShotStatus.READY,
            ),
            dict(
                subject="Mara, a weathered keeper in an oilskin coat",
                action="turns toward the sea, hair whipping",
                context="cliff path, grass flattened by wind",
                style="handheld urgency, cold light",
                shot_size="mcu",
                pan=-3,
                duration_seconds=5,
                motif="figure",
                palette=((54, 62, 78), (150, 120, 100)),
                dialogue="MARA: Not tonight. Not again.",
                target_model="seedance-1.5-pro",
                audio=True,
                ambience="wind and distant surf",
            ),
        ],
    },
    {
        "title": "The Stairs",
        "location": "Inside the lighthouse",
        "time_of_day": "Night",
        "description": "She climbs the spiral stairs as the old lamp flickers above.",
        "shots": [
            dict(
                subject="Mara climbing a spiral iron staircase",
                action="she takes the steps two at a time",
                context="narrow stone tower, rain on the windows",
                style="chiaroscuro, warm lantern light",
                shot_size="ls",
                camera_angle="low",
                tilt=6,
                duration_seconds=6,
                motif="stairs",
                palette=((20, 18, 24), (170, 110, 50)),
            ),
            dict(
                subject="The great lamp behind its lens",
                action="the flame gutters and nearly dies",
                context="the lamp room, brass and glass",
                style="golden glow, shallow depth of field",
                shot_size="cu",
                zoom=5,
                duration_seconds=4,
                motif="lamp",
                palette=((30, 20, 14), (250, 190, 90)),
            ),
        ],
    },
    {
        "title": "Light",
        "location": "Lamp room",
        "time_of_day": "Night",
        "description": "The lamp catches; its beam sweeps across a ship in the storm.",
        "shots": [
            dict(
                subject="The lighthouse beam",
                action="sweeps across the heaving sea and finds a small ship",
                context="rain, towering waves",
                style="epic, high contrast, silver and amber",
                shot_size="ws",
                pan=5,
                truck=2,
                duration_seconds=8,
                motif="beam",
                palette=((12, 16, 28), (220, 200, 140)),
                audio=True,
                target_model="veo-3.1",
                beats="0s: darkness and rain\n3s: the beam ignites\n6s: it finds the ship",
                sound_effects="thunder, the lamp's mechanism turning",
                ambience="rain on glass",
            ),
        ],
    },
]


def paint_frame(motif: str, palette: tuple, seed: int) -> bytes:
    """A 1280x720 PNG: graded sky, sea and a silhouette for the motif."""
    rng = random.Random(seed)
    top, bottom = palette
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    horizon = int(height * 0.62)
    for y in range(horizon, height):
        shade = int(20 + 25 * math.sin(y / 9 + rng.random()))
        draw.line([(0, y), (width, y)], fill=(shade, shade + 8, shade + 18))
    ink = (8, 8, 10)
    if motif == "lighthouse":
        draw.polygon([(0, height), (0, 470), (380, 430), (560, 520), (620, height)], fill=ink)
        draw.polygon([(250, 440), (290, 180), (330, 180), (370, 440)], fill=(225, 220, 210))
        draw.rectangle([(282, 150), (338, 182)], fill=(255, 214, 120))
    elif motif == "figure":
        draw.ellipse([(560, 200), (700, 340)], fill=ink)
        draw.polygon([(470, height), (520, 360), (740, 360), (800, height)], fill=ink)
    elif motif == "stairs":
        for step in range(14):
            angle = step * 0.55
            x = width / 2 + math.cos(angle) * 260
            y = height - step * 48
            draw.rectangle([(x - 90, y - 14), (x + 90, y)], fill=(60 + step * 6, 42 + step * 3, 28))
    elif motif == "lamp":
        draw.ellipse([(440, 160), (840, 560)], fill=(255, 200, 100))
        draw.ellipse([(560, 280), (720, 440)], fill=(255, 245, 210))
    elif motif == "beam":
        draw.polygon([(80, 300), (width, 120), (width, 420)], fill=(200, 190, 150))
        draw.polygon([(820, 470), (900, 400), (980, 470)], fill=ink)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@transaction.atomic
def create_demo(*, username: str, password: str, email: str = "") -> tuple[object, Project, bool]:
    """Create (or reuse) the demo login and its project. Returns (user, project, created)."""
    users = get_user_model()
    user, _ = users.objects.get_or_create(username=username, defaults={"email": email})
    user.set_password(password)
    user.is_staff = user.is_superuser = True  # the demo login also opens the admin
    user.save()
    existing = Project.objects.filter(name=DEMO_PROJECT, memberships__user=user).first()
    if existing:
        return user, existing, False
    project = project_create(
        owner=user,
        name=DEMO_PROJECT,
        logline="A lighthouse keeper must relight the lamp before a ship meets the rocks.",
    )
    for number, spec in enumerate(SCENES, start=1):
        scene = scene_create(
            project=project,
            number=number,
            title=spec["title"],
            location=spec["location"],
            time_of_day=spec["time_of_day"],
            description=spec["description"],
        )
        for index, shot_spec in enumerate(spec["shots"]):
            fields = dict(shot_spec)
            motif, palette = fields.pop("motif"), fields.pop("palette")
            shot = shot_create(scene=scene, **fields)
            png = paint_frame(motif, palette, seed=number * 10 + index)
            upload = SimpleUploadedFile("frame.png", png, content_type="image/png")
            shot_set_hero_frame(shot=shot, image=clean_uploaded_image(upload))
    return user, project, True
