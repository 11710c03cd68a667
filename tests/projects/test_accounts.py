from django.contrib.auth import get_user_model
from django.urls import reverse

from projects.models import Project
from tests.factories import UserFactory


def test_sign_up_signs_in_and_lands_on_projects(client, db):
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


def test_sign_up_with_mismatched_passwords_keeps_the_username(client, db):
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


def test_creating_a_project_makes_you_its_owner(client, db):
    user = UserFactory()
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
    client.force_login(UserFactory())
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
