import time

from django.core.management.base import BaseCommand

from providers.simulator.core import default_credentials
from providers.simulator.server import PROVIDERS, SimulatorServer


class Command(BaseCommand):
    help = "Run the local provider simulator (Veo, Kling, Runway, Seedance, Higgsfield)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--step", type=float, default=2.0, help="Seconds per job stage.")
        parser.add_argument(
            "--progress-by",
            choices=("time", "polls"),
            default="time",
            help="Age jobs with the clock (like the real APIs) or one stage per status read.",
        )

    def handle(self, *args, host: str, port: int, step: float, progress_by: str, **options):
        server = SimulatorServer(
            host=host, port=port, step_seconds=step, progress_by=progress_by
        ).start()
        self.stdout.write(f"Provider simulator at {server.url}")
        for prefix in PROVIDERS:
            self.stdout.write(f"  {prefix:<11} base URL {server.base_url(prefix)}")
        self.stdout.write(f"Accepted keys: {default_credentials()}")
        # The catalog's Gemini Veo ids are shut down; the simulator serves the GA ids there.
        self.stdout.write(
            "Veo on its Gemini API: GEMINI_VEO_MODEL_IDS="
            "veo-3.1=veo-3.1-generate-001,veo-3.1-fast=veo-3.1-fast-generate-001,"
            "veo-3.1-lite=veo-3.1-lite-generate-001"
        )
        self.stdout.write(f"Faults: POST {server.url}/_control/faults {{provider, fault, times}}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.stop()
