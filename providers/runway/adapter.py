"""Runway's HTTP adapter: a bearer key plus the pinned API version, and contract.py's calls
(providers.md section 2)."""

from __future__ import annotations

import httpx

from providers.core.adapter import HTTPProvider
from providers.core.base import (
    AuthFailed,
    CancelPolicy,
    ConnectionCheck,
    GenerationRequest,
    Progress,
    ProviderError,
    QuotaExceeded,
    Rejected,
    State,
    Submitted,
)
from providers.runway.contract import (
    build_submit,
    describe_error,
    describe_organization,
    is_out_of_credits,
    parse_status,
    parse_submit,
    task_path,
)
from providers.runway.stills import SLUGS as STILL_SLUGS
from providers.runway.stills import build_still

DEFAULT_BASE_URL = "https://api.dev.runwayml.com"
# Required on every request; still the official SDK's default in 2026 (providers.md 2.1).
API_VERSION = "2024-11-06"
ENV_VAR = "RUNWAY_API_KEY"
# [3P, not in providers.md] Task outputs are signed CloudFront URLs on this host (bucket
# runway-task-artifacts), as seen in many public integrations; the S3 name is the bucket itself.
DOWNLOAD_HOSTS = ("dnznrvs05pmza.cloudfront.net", "runway-task-artifacts.s3.amazonaws.com")
# Tier 1 allows 1-2 concurrent tasks per model; more only queue as THROTTLED (providers.md 2.7).
DEFAULT_MAX_CONCURRENT = 1


class RunwayProvider(HTTPProvider):
    """Credential: api_key. Option: api_version (X-Runway-Version)."""

    slug = "runway"
    label = "Runway"
    # providers.md §2.2 [V-SDK]: DELETE /v1/tasks/{id} cancels PENDING, THROTTLED and RUNNING
    # tasks. §2.4 [V]: output URLs expire within 24-48 h; we count the low end.
    cancel_policy = CancelPolicy.ALWAYS
    result_ttl_seconds = 24 * 3600.0
    default_base_url = DEFAULT_BASE_URL
    default_download_hosts = DOWNLOAD_HOSTS
    default_max_concurrent = DEFAULT_MAX_CONCURRENT
    required_keys = ("api_key",)

    def auth_headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.config.credential('api_key')}",
            "X-Runway-Version": self.config.option("api_version", API_VERSION),
        }

    @staticmethod
    def describe_error(response: httpx.Response) -> str:
        return describe_error(response)

    def missing_keys_message(self, missing: list[str]) -> str:
        return f"No Runway API key: set {ENV_VAR} or enter a key in the studio."

    def check_connection(self) -> ConnectionCheck:
        """GET /v1/organization (free): the credit balance and the tier's limits, in words."""
        usable, reason = self.availability()
        if not usable:
            return ConnectionCheck(ok=False, message=reason)
        try:
            response = self.http.request("GET", "/v1/organization", idempotent=True)
            organization = self.http.json(response)
        except AuthFailed as error:
            return ConnectionCheck(ok=False, message=f"Runway refused the key: {error.message}")
        except ProviderError as error:
            return ConnectionCheck(ok=False, message=f"Could not check: {error.message}")
        message, models = describe_organization(organization)
        return ConnectionCheck(ok=True, message=f"Connected: {message}", models=models)

    def submit(self, request: GenerationRequest) -> Submitted:
        # Gen-4 Image is a task like a video (stills.py); poll and download are shared.
        path, body = build_still(request) if request.model in STILL_SLUGS else build_submit(request)
        try:
            response = self.http.request("POST", path, idempotent=False, json=body)
        except Rejected as error:
            if is_out_of_credits(error):
                raise QuotaExceeded(error.message, raw=error.raw) from error
            raise
        return parse_submit(self.http.json(response, after_submit=True))

    def poll(self, remote_id: str) -> Progress:
        response = self.http.request("GET", task_path(remote_id), idempotent=True)
        return parse_status(self.http.json(response))

    def cancel(self, remote_id: str) -> None:
        # DELETE on a finished task deletes its output, which may not be downloaded yet.
        if self.poll(remote_id).state in (State.QUEUED, State.RUNNING):
            self.http.request("DELETE", task_path(remote_id), idempotent=True)
