from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Film projects"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
