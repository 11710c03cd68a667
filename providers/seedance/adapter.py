"""Seedance's HTTP adapter on BytePlus ModelArk: a bearer key, billing errors told apart from
bad keys, and contract.py's task calls (providers.md §4)."""

from __future__ import annotations

from typing import Any

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
    Submitted,
)
from providers.seedance.contract import (
    BILLING_CODES,
    TASKS_PATH,
    build_submit,
    describe_error,
    parse_status,
    parse_submit,
)
from providers.seedance.stills import SLUGS as STILL_SLUGS
from providers.seedance.stills import submit_still

# BytePlus ap-southeast-1 (§4.1). Volcengine (China) is https://ark.cn-beijing.volces.com/api/v3.
DEFAULT_BASE_URL = "https://ark.ap-southeast.bytepluses.com/api/v3"
# Results live on TOS object storage: §4.4 shows `ark-content-generation-….tos-….volces.com`;
# the BytePlus twin under bytepluses.com is inferred [I], not seen in a captured payload.
DEFAULT_DOWNLOAD_HOSTS = ("volces.com", "bytepluses.com")
# Per-model concurrency sits in the ModelArk console (§4.5, not captured); 10 is a cautious
# guess [I] that an admin overrides per account.
DEFAULT_MAX_CONCURRENT = 10
ENV_VAR = "ARK_API_KEY"


class SeedanceProvider(HTTPProvider):
    """Credential: api_key. `config.webhook_url` goes out as each task's callback_url."""

    slug = "seedance"
    label = "Seedance"
    # providers.md §4.2/§4.4: DELETE cancels a `queued` task only; `cancelled` is reachable
    # only from `queued`. §4.4 [3P mirrors]: content.video_url is valid for 24 h, so the
    # pipeline downloads as soon as the task succeeds.
    cancel_policy = CancelPolicy.WHILE_QUEUED
    result_ttl_seconds = 24 * 3600.0
    default_base_url = DEFAULT_BASE_URL
    default_download_hosts = DEFAULT_DOWNLOAD_HOSTS
    default_max_concurrent = DEFAULT_MAX_CONCURRENT
    required_keys = ("api_key",)

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.config.credential('api_key')}"}

    @staticmethod
    def describe_error(response: httpx.Response) -> str:
        return describe_error(response)

    def missing_keys_message(self, missing: list[str]) -> str:
        return f"No BytePlus ModelArk API key: set {ENV_VAR} or enter one in the admin."

    def _call(self, method: str, path: str, *, idempotent: bool, **kwargs: Any) -> httpx.Response:
        try:
            return self.http.request(method, path, idempotent=idempotent, **kwargs)
        except AuthFailed as error:
            # 403 AccountOverdueError & co. are about money, not the key (§4.5 error table).
            body = error.raw if isinstance(error.raw, dict) else {}
            detail = body.get("error") if isinstance(body.get("error"), dict) else {}
            if detail.get("code") in BILLING_CODES:
                raise QuotaExceeded(error.message, raw=error.raw) from error
            raise

    def check_connection(self) -> ConnectionCheck:
        """Lists one task (free; §4.2 list call): shows whether ModelArk takes the key. The list
        says nothing of model access, which only a create shows."""
        usable, reason = self.availability()
        if not usable:
            return ConnectionCheck(ok=False, message=reason)
        try:
            response = self._call("GET", f"{TASKS_PATH}?page_size=1", idempotent=True)
            total = self.http.json(response).get("total")
        except AuthFailed as error:
            return ConnectionCheck(ok=False, message=f"ModelArk refused the key: {error.message}")
        except QuotaExceeded as error:
            return ConnectionCheck(
                ok=False, message=f"The key works but the account cannot pay: {error.message}"
            )
        except ProviderError as error:
            return ConnectionCheck(ok=False, message=f"Could not check: {error.message}")
        count = f" ({total} tasks in the last 7 days)" if isinstance(total, int) else ""
        return ConnectionCheck(ok=True, message=f"Connected: ModelArk accepted the key{count}.")

    def submit(self, request: GenerationRequest) -> Submitted:
        if request.model in STILL_SLUGS:  # Seedream: one synchronous call (stills.py)
            return submit_still(self, request)
        self.require_keys()
        path, body = build_submit(request, callback_url=self.config.webhook_url)
        response = self._call("POST", path, idempotent=False, json=body)
        return parse_submit(self.http.json(response, after_submit=True))

    def poll(self, remote_id: str) -> Progress:
        self.require_keys()
        response = self._call("GET", f"{TASKS_PATH}/{remote_id}", idempotent=True)
        return parse_status(self.http.json(response))

    def cancel(self, remote_id: str) -> None:
        """Only a queued task can be cancelled (§4.2); ModelArk refuses a running one (Rejected)."""
        self.require_keys()
        self._call("DELETE", f"{TASKS_PATH}/{remote_id}", idempotent=True)
