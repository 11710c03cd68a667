import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from projects.models import Project
from tests.factories import UserFactory


@pytest.fixture
def signup_on(settings):
    settings.SIGNUP_ENABLED = True


def test_sign_up_signs_in_and_lands_on_projects(client, db, signup_on):
    response = client.post(
        reverse("signup"),
        {
            "username": "mara",
            "email": "mara@example.org",
            "password1": "lamp-room-1892",
            "password2": "lamp-room-1892",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:list")
    assert client.get(reverse("projects:list")).status_code == 200


def test_sign_up_with_mismatched_passwords_keeps_the_username(client, db, signup_on):
    response = client.post(
        reverse("signup"),
        {"username": "mara", "password1": "lamp-room-1892", "password2": "other-1892"},
    )
    assert response.status_code == 422
    assert "The two password fields didn’t match." in response.content.decode()
    assert 'value="mara"' in response.content.decode()
    assert not get_user_model().objects.filter(username="mara").exists()


def test_sign_up_can_be_switched_off(client, db, settings):
    settings.SIGNUP_ENABLED = False
    assert client.get(reverse("signup")).status_code == 404
    assert "Sign up" not in client.get(reverse("login")).content.decode()


def test_sign_in_and_out(client, db):
    UserFactory(username="ana")
    response = client.post(
        reverse("login"), {"username": "ana", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("projects:list")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("projects:list")).status_code == 302


def test_wrong_password_is_told_on_the_form(client, db):
    UserFactory(username="ana")
    response = client.post(reverse("login"), {"username": "ana", "password": "nope"})
    assert "Please enter a correct username and password." in response.content.decode()


def test_password_change(client, db):
    user = UserFactory(username="ana")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct horse battery",
            "new_password1": "a-new-lamp-2026",
            "new_password2": "a-new-lamp-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-lamp-2026")


def project_starter(**kwargs):
    """A user an admin allowed to start projects ("Can add project")."""
    from django.contrib.auth.models import Permission

    user = UserFactory(**kwargs)
    user.user_permissions.add(Permission.objects.get(codename="add_project"))
    return user


def test_creating_a_project_makes_you_its_owner(client, db):
    user = project_starter()
    client.force_login(user)
    response = client.post(
        reverse("projects:create"),
        {"name": "Tide", "logline": "", "aspect_ratio": "9:16", "default_model": "previz"},
    )
    project = Project.objects.get(name="Tide")
    assert response["Location"] == reverse("projects:storyboard", args=[project.pk])
    assert project.memberships.get().user == user
    assert project.memberships.get().role == "owner"


def test_a_negative_budget_is_refused_on_the_form(client, db):
    client.force_login(project_starter())
    response = client.post(
        reverse("projects:create"),
        {"name": "Tide", "aspect_ratio": "16:9", "default_model": "previz", "budget": "-5"},
    )
    assert response.status_code == 422
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    assert not Project.objects.exists()


def test_project_list_shows_only_my_projects(client, owner, project):
    other = Project.objects.create(name="Someone else's film")
    client.force_login(owner)
    html = client.get(reverse("projects:list")).content.decode()
    assert project.name in html
    assert other.name not in html


CREATE_REFUSED = (
    "Starting a project needs a studio admin’s permission: ask an admin of this studio to give "
    "you “Can add project” (in the admin, on your user or a group). Meanwhile a teammate can "
    "invite you to their project."
)


def test_sign_up_is_off_unless_an_operator_switches_it_on():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.SIGNUP_ENABLED)"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "studio.settings", "SECRET_KEY": "x"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.strip() == "False"
    # `make run`'s demo opens it.
    assert 'export SIGNUP_ENABLED="${SIGNUP_ENABLED:-1}"' in (root / "scripts/run.sh").read_text()


def test_with_sign_up_off_the_page_is_gone_and_not_linked(client, db, settings):
    settings.SIGNUP_ENABLED = False
    assert client.get(reverse("signup")).status_code == 404
    response = client.post(
        reverse("signup"),
        {"username": "mara", "password1": "lamp-room-1892", "password2": "lamp-room-1892"},
    )
    assert response.status_code == 404
    assert not get_user_model().objects.filter(username="mara").exists()
    assert "Create an account" not in client.get(reverse("login")).content.decode()


def test_sign_up_link_follows_the_setting(client, db, signup_on):
    assert "Create an account" in client.get(reverse("login")).content.decode()


def test_without_permission_there_is_no_new_project_button_but_who_to_ask(client, db):
    client.force_login(UserFactory())
    html = client.get(reverse("projects:list")).content.decode()
    assert "New project" not in html
    assert CREATE_REFUSED in html


def test_without_permission_creating_a_project_is_refused(client, db):
    client.force_login(UserFactory())
    page = client.get(reverse("projects:create"))
    assert page.status_code == 403
    assert CREATE_REFUSED in page.content.decode()
    response = client.post(
        reverse("projects:create"),
        {"name": "Tide", "aspect_ratio": "9:16", "default_model": "previz"},
    )
    assert response.status_code == 403
    assert CREATE_REFUSED in response.content.decode()
    assert not Project.objects.exists()


def test_the_permission_can_come_from_a_group(client, db):
    from django.contrib.auth.models import Group, Permission

    crew = Group.objects.create(name="Directors")
    crew.permissions.add(Permission.objects.get(codename="add_project"))
    user = UserFactory()
    user.groups.add(crew)
    client.force_login(user)
    assert "New project" in client.get(reverse("projects:list")).content.decode()
    response = client.post(
        reverse("projects:create"),
        {"name": "Tide", "aspect_ratio": "9:16", "default_model": "previz"},
    )
    assert response.status_code == 302
    assert Project.objects.get().memberships.get().user == user


def test_staff_and_the_demo_login_may_create_projects(client, db):
    from projects.demo import create_demo

    demo, _, _ = create_demo(username="demo", password="a-demo-pass-1")
    for user in (UserFactory(is_staff=True), demo):
        client.force_login(user)
        assert "New project" in client.get(reverse("projects:list")).content.decode()
        response = client.post(
            reverse("projects:create"),
            {"name": f"By {user.username}", "aspect_ratio": "9:16", "default_model": "previz"},
        )
        assert response.status_code == 302
    assert Project.objects.filter(name__startswith="By ").count() == 2


def test_an_admin_grants_the_permission_in_the_admin(client, db):
    from django.contrib.auth.models import Permission

    person = UserFactory(username="ana")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    permission = Permission.objects.get(codename="add_project")
    form = client.get(reverse("admin:auth_user_change", args=[person.pk]))
    assert form.status_code == 200
    response = client.post(
        reverse("admin:auth_user_change", args=[person.pk]),
        {
            "username": "ana",
            "email": person.email,
            "is_active": "on",
            "user_permissions": [permission.pk],
            "date_joined_0": "2026-12-01",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2026-12-01",
            "initial-date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(person)
    assert "New project" in client.get(reverse("projects:list")).content.decode()
