import os

from django.core.management.base import BaseCommand

from projects.demo import create_demo


class Command(BaseCommand):
    help = "Create the demo login and the demo project (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DEMO_USERNAME", "demo"))
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "shotstudio"))

    def handle(self, *args, username: str, password: str, **options):
        user, project, created = create_demo(username=username, password=password)
        verb = "Created" if created else "Kept"
        self.stdout.write(f"{verb} demo project “{project.name}” (id {project.pk}).")
        self.stdout.write(f"Demo login: {user.username} / {password}")
