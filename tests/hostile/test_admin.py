"""The admin's pages for the studio's models, with hostile ids, queries and forms."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from .harness import Case, forms_in, run
from .values import CLASSICS

pytestmark = pytest.mark.django_db
QUERIES = (
    {"q": "\x00"},
    {"q": "é" * 5000},
    {"o": "99.-1.abc"},
    {"p": str(10**30)},
    {"e": "1"},
    {"state__exact": "\x00", "created_at__gte": "9999-12-31"},
    {"_changelist_filters": "q=%00"},
)


def ours():
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda i: i[0]._meta.label):
        if model._meta.app_label in ("projects", "studio"):
            yield model, model_admin


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_changelists_with_hostile_queries(world):
    for n, (model, _) in enumerate(ours()):
        url = admin_url(model, "changelist")
        run(world, Case("staff", "GET", url, QUERIES[n % len(QUERIES)]), "admin")
        run(world, Case("owner", "GET", url), "admin")  # not staff: the admin's own sign-in


def test_add_and_change_forms_posted_back_wrong(world):
    for n, (model, _) in enumerate(ours()):
        add = admin_url(model, "add")
        page = run(world, Case("staff", "GET", add), "admin")
        forms = forms_in(page.content.decode(), add) if page.status_code == 200 else []
        for form in forms[:1]:
            payload = form.payload()
            names = sorted(set(payload) - {"csrfmiddlewaretoken"})
            for k, name in enumerate(names[:2]):
                hostile = {**payload, name: [CLASSICS[(n + k) % len(CLASSICS)]]}
                run(world, Case("staff", "POST", add, hostile), "admin")
        run(world, Case("staff", "POST", add, {"\x00": "\x00"}), "admin")
        run(world, Case("owner", "POST", add, {}, refused=True), "admin")
        record = model.objects.order_by("pk").first()
        for pk in ([record.pk] if record else []) + [10**30, "é"]:
            try:
                change = admin_url(model, "change", pk)
            except NoReverseMatch:
                continue
            run(world, Case("staff", "GET", change), "admin")
            if pk == getattr(record, "pk", None):
                run(world, Case("staff", "POST", change, {"\x00": "x"}), "admin")
