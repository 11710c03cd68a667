"""Kling's HTTP adapter: the static API key for Kling 3.0, a fresh JWT per request for older
models, errors typed by Kling's service code, and the create/query calls of contract.py
(providers.md section 3)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from providers.core import http
from providers.core.adapter import HTTPProvider
from providers.core.base import (
    AuthFailed,
    CancelPolicy,
    ConnectionCheck,
    GenerationRequest,
    Progress,
    ProviderError,
    Rejected,
    Submitted,
)
from providers.kling.contract import (
    API_KEY,
    JWT,
    auth_kind,
    build_submit,
    describe,
    error_for_code,
    is_task_not_found,
    mint_token,
    parse_lookup,
    parse_status,
    parse_submit,
    remote_ids_from_callback,
    split_remote_id,
)
from providers.kling.motion import MotionControl, build_motion_control

DEFAULT_BASE_URL = "https://api-singapore.klingai.com"  # global site; Beijing keys differ [3P]
# Hosts seen in the docs' example result URLs (p1.a.kwimgs.com, h1.inkwai.com) and Kling's own
# domain; providers.md names no CDN list, so this is [I] from the examples. Suffix-matched.
DOWNLOAD_HOSTS = ("klingai.com", "kwimgs.com", "inkwai.com")
DEFAULT_MAX_CONCURRENT = 5  # [I] the smallest video resource pack; the real value is per account
KEY_VARIABLES = {
    "api_key": "KLING_API_KEY",
    "access_key": "KLING_ACCESS_KEY",
    "secret_key": "KLING_SECRET_KEY",
}
JWT_KEYS = ("access_key", "secret_key")
WHERE = "(or enter it in the studio's provider settings)"
WHERE_BOTH = "(or enter them in the studio's provider settings)"
# What each kind of key is called and serves, for staff.
KEY_NAMES = {API_KEY: ("API key", "Kling 3.0"), JWT: ("access key and secret key", "Kling 2.6")}


class KlingHTTP(http.ProviderHTTP):
    """ProviderHTTP that types errors by Kling's service code, not only the HTTP status
    (429 means "busy" for 1302/1303 but "pay up" for 1102)."""

    def error_for(self, response: httpx.Response, *, idempotent: bool) -> ProviderError:
        body = _body(response)
        if isinstance(body, dict) and isinstance(body.get("code"), int):
            error = error_for_code(
                body,
                status=response.status_code,
                after_submit=not idempotent,
                retry_after=http.retry_after_seconds(response),
            )
            if error is not None:
                return error
        return super().error_for(response, idempotent=idempotent)


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


class KlingProvider(HTTPProvider):
    """Credentials: api_key (Kling 3.0) and/or access_key + secret_key (2.6 and older).
    Option: usd_per_unit (the account's unit price)."""

    slug = "kling"
    label = "Kling"
    # providers.md §3.2: no cancel endpoint in the docs [I], so a sent task runs on and is
    # billed. §3 (spec changelog, [V-mirror]): generated videos are deleted after 30 days.
    cancel_policy = CancelPolicy.NEVER
    result_ttl_seconds = 30 * 24 * 3600.0
    default_base_url = DEFAULT_BASE_URL
    default_download_hosts = DOWNLOAD_HOSTS
    default_max_concurrent = DEFAULT_MAX_CONCURRENT
    http_class = KlingHTTP

    def setup(self) -> None:
        # One client per kind of key: a create goes out with the key its model takes, while
        # reads (status, lookup, list) use whichever key the account has [I: a key identifies
        # the account, so either reads its tasks].
        self.clients = {
            kind: KlingHTTP(
                provider=self.label,
                base_url=self.base_url,
                headers=headers,
                timeout=self.timeout,
                describe_error=self.describe_error,
                transport=self.transport,
            )
            for kind, headers in ((API_KEY, self.api_key_headers), (JWT, self.jwt_headers))
        }
        # Kling bills prepaid units whose price depends on the pack bought, so dollars need
        # the account's own unit price; without it the cost stays unknown rather than wrong.
        usd_per_unit = self.config.option("usd_per_unit")
        self.usd_per_unit = Decimal(str(usd_per_unit)) if usd_per_unit is not None else None

    def auth_headers(self) -> dict[str, str]:
        if self.config.credential("api_key"):
            return self.api_key_headers()
        return self.jwt_headers()

    def api_key_headers(self) -> dict[str, str]:
        key = self.config.credential("api_key")
        return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def jwt_headers(self) -> dict[str, str]:
        # A fresh token per request: tasks outlive the 30-minute token by far.
        config = self.config
        token = mint_token(config.credential("access_key"), config.credential("secret_key"))
        return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def has_key(self, kind: str) -> bool:
        if kind == API_KEY:
            return bool(self.config.credential("api_key"))
        return not self.config.missing(JWT_KEYS)

    def availability(self, model: str | None = None) -> tuple[bool, str]:
        """Usable for `model` (Kling's id or our slug) with the keys it needs; without a model,
        usable when either kind of key is set."""
        if model is not None:
            kind = auth_kind(model.replace("kling-3.", "kling-v3."))
            return (True, "") if self.has_key(kind) else (False, self.key_needed(kind))
        if self.has_key(API_KEY) or self.has_key(JWT):
            return True, ""
        if self.config.credential("access_key") or self.config.credential("secret_key"):
            return False, self.key_needed(JWT)  # half a pair: say which half is missing
        return False, (
            "Kling has no keys: set KLING_API_KEY for Kling 3.0, and KLING_ACCESS_KEY and "
            f"KLING_SECRET_KEY for Kling 2.6 {WHERE_BOTH}."
        )

    def model_availability(self, slug: str) -> tuple[bool, str]:
        """(usable, reason) for one of our Kling slugs: each generation takes its own key."""
        return self.availability(slug)

    def key_needed(self, kind: str) -> str:
        if kind == API_KEY:
            return (
                f"Kling 3.0 needs Kling's API key: set KLING_API_KEY {WHERE}. The access key "
                "and secret key serve only Kling 2.6 and older."
            )
        missing = self.config.missing(JWT_KEYS)
        return (
            "Kling 2.6 needs an access key and a secret key: set "
            + " and ".join(KEY_VARIABLES[name] for name in missing)
            + f" {WHERE_BOTH}. The API key serves only Kling 3.0."
        )

    @staticmethod
    def describe_error(response: httpx.Response) -> str:
        return describe(_body(response), response.status_code)

    def check_connection(self) -> ConnectionCheck:
        """Lists one text2video task with each key the account has: free, and it shows whether
        Kling accepts that key (providers.md §3.2 list call)."""
        usable, reason = self.availability()
        if not usable:
            return ConnectionCheck(ok=False, message=reason)
        works, problems, failed = [], [], False
        for kind in (API_KEY, JWT):
            name, serves = KEY_NAMES[kind]
            if not self.has_key(kind):
                problems.append(f"{serves} cannot run without the {name}")
                continue
            try:
                response = self.clients[kind].request(
                    "GET", "/v1/videos/text2video?pageNum=1&pageSize=1", idempotent=True
                )
                self.clients[kind].json(response)
            except AuthFailed as error:
                failed = True
                problems.append(f"Kling refused the {name} ({error.message}): {serves} cannot run")
                continue
            except ProviderError as error:
                failed = True
                problems.append(f"the {name} could not be checked: {error.message}")
                continue
            works.append(f"the {name} works ({serves})")
        ok = bool(works) and not failed
        said = "; ".join(works + problems)
        return ConnectionCheck(ok=ok, message=f"{'Connected' if ok else 'Not connected'}: {said}.")

    def submit(self, request: GenerationRequest) -> Submitted:
        path, body = build_submit(request)
        model = str(body.get("model_name") or "kling-v1")
        usable, reason = self.availability(model)
        if not usable:
            raise AuthFailed(reason)
        client = self.clients[auth_kind(model)]
        try:
            response = client.request("POST", path, idempotent=False, json=body)
        except Rejected as error:
            # Sent again after an unclear first send that did create the task: Kling refuses
            # the repeated external_task_id, and the task to follow is the first one.
            if request.request_key and "external_task_id" in error.message:
                existing = self.lookup(request)
                if existing is not None:
                    return existing
            raise
        payload = client.json(response, after_submit=True)
        return parse_submit(payload, path.rsplit("/", 1)[-1])

    def submit_motion_control(self, job: MotionControl) -> Submitted:
        """Create a motion-control task (motion.py); poll() follows it like any other."""
        path, body = build_motion_control(job)
        usable, reason = self.availability(job.model_name)
        if not usable:
            raise AuthFailed(reason)
        client = self.clients[auth_kind(job.model_name)]
        response = client.request("POST", path, idempotent=False, json=body)
        return parse_submit(client.json(response, after_submit=True), path.rsplit("/", 1)[-1])

    def lookup(self, request: GenerationRequest) -> Submitted | None:
        """The task created for `request`, found by its external_task_id (providers.md 3.2:
        "or pass your external_task_id in the path"); None when Kling says there is none."""
        if not request.request_key:
            return None
        kind = build_submit(request)[0].rsplit("/", 1)[-1]
        try:
            response = self.http.request(
                "GET", f"/v1/videos/{kind}/{request.request_key}", idempotent=True
            )
        except Rejected as error:
            if is_task_not_found(error):
                return None
            raise
        return parse_lookup(self.http.json(response), kind)

    def poll(self, remote_id: str) -> Progress:
        kind, task_id = split_remote_id(remote_id)
        response = self.http.request("GET", f"/v1/videos/{kind}/{task_id}", idempotent=True)
        return parse_status(self.http.json(response), usd_per_unit=self.usd_per_unit)

    def cancel(self, remote_id: str) -> None:
        # Kling documents no cancel endpoint [I]: the task runs on and is billed.
        raise ProviderError(
            "Kling has no way to cancel a task; it will finish (and be charged) on Kling's side."
        )

    @staticmethod
    def remote_ids_from_callback(payload: dict[str, Any]) -> set[str]:
        """For the webhook view: our remote ids ("<kind>/<task_id>") a Kling callback names."""
        return remote_ids_from_callback(payload)
