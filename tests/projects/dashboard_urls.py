"""studio.urls with the cost dashboard inside the `projects` namespace, until projects/urls.py
carries the route itself. Harmless afterwards: the same name resolves to the same view."""

from django.urls import include, path

import projects.urls
import studio.urls
from projects.views import dashboard

routes = [path("dashboard/", dashboard.dashboard, name="dashboard"), *projects.urls.urlpatterns]
urlpatterns = [
    path("projects/", include((routes, "projects"))),
    *(p for p in studio.urls.urlpatterns if getattr(p, "namespace", None) != "projects"),
]
