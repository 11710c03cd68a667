from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory


def test_every_model_of_ours_is_in_the_admin():
    ours = [m for app in ("projects", "studio") for m in apps.get_app_config(app).get_models()]
    assert [m.__name__ for m in ours if m not in admin.site._registry] == []


def test_every_admin_list_page_opens(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for model in admin.site._registry:
        if model._meta.app_label in ("projects", "studio"):
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert client.get(url).status_code == 200, url
