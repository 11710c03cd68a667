"""google-genai clients pointed at the provider simulator, for the SDK conformance tests."""

from __future__ import annotations

from providers.simulator.server import SimulatorServer


def vertex_client(simulator: SimulatorServer, info: dict, *, location: str = "us-central1"):
    """google-genai in Vertex AI mode, signed in with the simulator's service account `info`."""
    from google import genai
    from google.genai import types
    from google.oauth2 import service_account

    credentials = service_account.Credentials.from_service_account_info(
        info, scopes=["https://www.googleapis.com/auth/cloud-platform"]
    )
    return genai.Client(
        vertexai=True,
        project="sim-project",
        location=location,
        credentials=credentials,
        http_options=types.HttpOptions(base_url=simulator.base_url("vertex")),
    )


def gemini_client(simulator: SimulatorServer):
    """google-genai with the Gemini API key the simulator accepts."""
    from google import genai
    from google.genai import types

    return genai.Client(
        api_key=simulator.sim.credentials["gemini"],
        http_options=types.HttpOptions(base_url=simulator.base_url("gemini")),
    )
