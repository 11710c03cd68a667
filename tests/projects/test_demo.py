import pytest
from django.core.files.storage import default_storage
from PIL import Image

from projects.demo import create_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_project_has_scenes_shots_and_real_hero_frames():
    user, project, created = create_demo(username="demo", password="a-demo-pass-1")
    assert created
    assert user.check_password("a-demo-pass-1")
    assert project.scenes.count() == 3
    shots = list(project.shots.all())
    assert len(shots) == 5
    for shot in shots:
        assert default_storage.exists(shot.hero_frame.name), shot.label
        with default_storage.open(shot.hero_thumbnail.name) as handle:
            assert Image.open(handle).size == (480, 270)


def test_running_the_demo_twice_keeps_one_project():
    create_demo(username="demo", password="a-demo-pass-1")
    _, project, created = create_demo(username="demo", password="a-demo-pass-1")
    assert not created
    assert project.memberships.get().user.username == "demo"


def test_the_demo_shows_models_other_than_previz():
    from projects.selectors.design import shot_preview

    _, project, _ = create_demo(username="demo", password="a-demo-pass-1")
    veo = project.shots.get(target_model="veo-3.1")
    preview = shot_preview(veo)
    assert preview.ok, preview.problems
    assert "(at 3s) the beam ignites." in preview.compiled.prompt
