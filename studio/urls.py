from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from projects.urls import review_urlpatterns, studio_urlpatterns
from projects.views.accounts import signup
from projects.views.hooks import provider_webhook

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="projects:list"), name="home"),
    path("accounts/signup/", signup, name="signup"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(success_url="/accounts/password/done/"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("projects/", include("projects.urls")),
    path("review/", include((review_urlpatterns, "review"))),
    path("prompts/", include((studio_urlpatterns, "studio"))),
    path("hooks/<slug:provider>/<str:token>/", provider_webhook, name="provider-webhook"),
    path("admin/", admin.site.urls),
]
