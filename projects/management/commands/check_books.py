from django.core.management.base import BaseCommand, CommandError

from projects.models import MemberSpend, Project, Scene
from projects.selectors.books import books_out_of_balance


class Command(BaseCommand):
    help = "Check that every budget total equals the ledger, and that no finished take holds money."

    def handle(self, *args, **options):
        problems = books_out_of_balance()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"The books are out of balance in {len(problems)} places.")
        self.stdout.write(
            f"The books balance: {Project.objects.count()} projects, {Scene.objects.count()} "
            f"scenes, {MemberSpend.objects.count()} member months."
        )
