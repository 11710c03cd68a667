"""The hostile suite's machinery: find every URL the studio answers and every form its pages
render, send a case as one of the five visitors, and check what came back and what changed.

A case is refused when it gets a 4xx, when it is a read (GET/HEAD), when an anonymous visitor
is sent to sign in, or when a viewer or outsider posts to a project: then every row of the
studio's tables and every media file must be exactly as before.
"""

from __future__ import annotations

import traceback
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from .world import REVIEW_GONE_TOKEN, REVIEW_LOCKED_TOKEN, REVIEW_TOKEN, World

# How many cases each group sent (the total is checked by tally.py at the end of the run).
CASES: Counter = Counter()
SNAPSHOT_APPS = ("projects", "studio", "auth")
NOT_RECORDS = {"auth.Permission"}
# Query parameters the studio reads somewhere, tried on every page.
KNOWN_PARAMS = ("take", "start", "end", "project", "format", "duplicate", "next", "page", "q")


# --- the URLconf ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    name: str  # "projects:take-action"
    kwargs: tuple[str, ...]  # in the order the pattern names them
    converters: tuple[str, ...]  # the converter class name of each
    csrf_exempt: bool = False  # called by other machines (webhooks), not by our pages


def routes() -> list[Route]:
    """Every named URL pattern of the studio, the admin's own excepted (it has its own test)."""
    found: list[Route] = []

    def walk(patterns, namespace: str, converters: dict) -> None:
        for entry in patterns:
            here = {**converters, **getattr(entry.pattern, "converters", {})}
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin" or entry.app_name == "admin":
                    continue
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, ns, here)
            elif isinstance(entry, URLPattern) and entry.name:
                names = tuple(here)
                kinds = tuple(type(here[name]).__name__ for name in names)
                exempt = getattr(entry.callback, "csrf_exempt", False)
                found.append(Route(f"{namespace}{entry.name}", names, kinds, exempt))

    walk(get_resolver().url_patterns, "", {})
    return sorted(found, key=lambda route: route.name)


def fill(route: Route, world: World, *, crawling: bool = False, **chosen) -> list[dict]:
    """Every way to fill the route's kwargs from the world (ids, kinds, actions...). To crawl
    for forms, every record that renders differently (shots, takes) but one word each."""
    options: dict[str, list] = {}
    for name in route.kwargs:
        if name in chosen:
            options[name] = [chosen[name]]
        elif name in world.ids:
            options[name] = list(world.ids[name])
        elif (route.name, name) in WORDS:
            options[name] = list(WORDS[route.name, name])
        elif name in WORDS_ANYWHERE:
            options[name] = list(WORDS_ANYWHERE[name])
        else:
            raise LookupError(f"{route.name}: no hostile case knows what to put in <{name}>")
    if crawling:
        options = {
            name: values if name in ("shot_id", "take_id") else values[:1]
            for name, values in options.items()
        }
    combos: list[dict] = [{}]
    for name, values in options.items():
        combos = [{**combo, name: value} for combo in combos for value in values]
    return combos


# Path words the views switch on (a new one shows up in forms and links anyway).
WORDS = {
    ("projects:take-media", "kind"): ("video.mp4", "poster.jpg", "thumb.jpg", "nope.exe"),
    ("projects:shot-image", "kind"): ("hero", "hero-thumb", "last", "last-thumb", "nope"),
    ("projects:reference-image", "kind"): ("full", "thumb", "nope"),
    ("projects:take-action", "action"): (
        "cancel",
        "mark-failed",
        "approve",
        "decline",
        "promote",
        "retry",
        "circle",
        "no-such-action",
    ),
}
# Review links: the world's links (open, password-locked, revoked), and a token that is no link.
WORDS.update(
    {
        (f"review:{name}", "token"): (
            REVIEW_TOKEN,
            REVIEW_LOCKED_TOKEN,
            REVIEW_GONE_TOKEN,
            "0" * 43,
        )
        for name in ("board", "unlock", "seen", "shot", "comments", "hero", "take-media")
    }
)
WORDS["review:take-media", "kind"] = ("video.mp4", "poster.jpg", "thumb.jpg", "nope.exe")
WORDS_ANYWHERE = {
    "provider": ("seedance", "higgsfield", "kling", "previz", "no-such-provider"),
    "token": ("0" * 32, "not-the-token"),
    "kind": ("nope",),
    "action": ("nope",),
    "family": ("kling", "no-such-family"),
}


def url_for(route: Route, kwargs: dict) -> str:
    return reverse(route.name, kwargs=kwargs)


# --- what each URL accepts ----------------------------------------------------------------
def allowed_methods(clients: list[Client], url: str) -> set[str]:
    """The methods a view accepts, as its 405 answer to OPTIONS lists them (asked of each
    visitor in turn: a sign-in redirect says nothing). A view that answers OPTIONS with a
    redirect instead (RedirectView) is a read."""
    for client in clients:
        allow = client.options(url).headers.get("Allow", "")
        if allow:
            return {method.strip().upper() for method in allow.split(",") if method.strip()}
    return {"GET", "HEAD"}


# --- forms in pages ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # an input type, "select", "textarea" or "submit"
    value: str | None  # what the page would send; None: nothing (unchecked, no file)
    options: tuple[str, ...] = ()
    accept: str = ""  # a file input's accept attribute


@dataclass(frozen=True)
class Form:
    page: str  # where it was found
    method: str
    url: str
    route: str  # the URL name it posts to
    fields: tuple[Field, ...]
    multipart: bool = False

    def payload(self) -> dict[str, list[str]]:
        """What the browser sends: every value, and the first submit button as if clicked."""
        data: dict[str, list[str]] = {}
        clicked = False
        for item in self.fields:
            if item.kind == "submit":
                if not clicked:
                    data.setdefault(item.name, []).append(item.value or "")
                    clicked = True
            elif item.value is not None and item.kind != "file":
                data.setdefault(item.name, []).append(item.value)
        return data

    def choices(self, name: str) -> tuple[str, ...]:
        """The values the page offers for `name` (options, buttons, checkboxes)."""
        found: list[str] = []
        for item in self.fields:
            if item.name == name:
                found += [o for o in item.options if o not in found]
        return tuple(found)

    @property
    def key(self) -> tuple:
        return (self.route, self.method, tuple(sorted({f.name for f in self.fields})))


class _FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[dict] = []
        self.current: dict | None = None
        self.select: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            # The form's own action, and where HTMX sends it if that differs (the live preview
            # of the shot editor): the same fields go to both.
            self.current = {
                "targets": {(a.get("action") or self.page, a.get("method", "get").lower())},
                "multipart": a.get("enctype", "") == "multipart/form-data",
                "fields": [],
            }
            for verb in ("post", "get"):
                if a.get(f"hx-{verb}"):
                    self.current["targets"].add((a[f"hx-{verb}"], verb))
            self.forms.append(self.current)
        if self.current is None or ("name" not in a and tag != "option"):
            return
        fields = self.current["fields"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                value = a.get("value", "on") if "checked" in a else None
            elif kind == "file":
                value = None
            else:
                value = a.get("value", "")
            fields.append(
                {
                    "name": a["name"],
                    "kind": kind,
                    "value": value,
                    "options": [],
                    "accept": a.get("accept", ""),
                }
            )
            if kind in ("checkbox", "radio"):
                fields[-1]["options"] = [a.get("value", "on")]
        elif tag == "button" and a.get("type", "submit") == "submit":
            value = a.get("value", "")
            fields.append({"name": a["name"], "kind": "submit", "value": value, "options": [value]})
        elif tag == "select":
            self.select = {"name": a["name"], "kind": "select", "value": None, "options": []}
            fields.append(self.select)
        elif tag == "option" and self.select is not None:
            value = a.get("value")
            self.select["options"].append(value)
            if "selected" in a or self.select["value"] is None:
                self.select["value"] = value
        elif tag == "textarea":
            self.textarea = {"name": a["name"], "kind": "textarea", "value": "", "options": []}
            fields.append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["value"] += data
        if (
            self.select is not None
            and self.select["options"]
            and self.select["options"][-1] is None
        ):
            self.select["options"][-1] = data.strip()
            if self.select["value"] is None:
                self.select["value"] = data.strip()

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_in(html: str, page: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    found = []
    for raw in parser.forms:
        fields = tuple(
            Field(
                f["name"],
                f["kind"],
                f["value"],
                tuple(o for o in f.get("options", []) if o),
                f.get("accept", ""),
            )
            for f in raw["fields"]
        )
        for url, method in sorted(raw["targets"]):
            parts = urlsplit(url)
            if parts.netloc:  # a form to another site is not ours to attack
                continue
            path = parts.path if parts.path.startswith("/") else urlsplit(page).path
            try:
                match = resolve(path)
            except Resolver404:
                continue
            found.append(Form(page, method, url, match.view_name, fields, raw["multipart"]))
    return found


# --- one case ----------------------------------------------------------------------------------
@dataclass
class Case:
    role: str
    method: str
    url: str
    data: dict | bytes | None = None
    content_type: str | None = None
    headers: dict = field(default_factory=dict)
    note: str = ""
    refused: bool = False  # known to be a refusal whatever the status says

    def __str__(self) -> str:
        data = repr(self.data)
        data = data if len(data) < 400 else data[:400] + f"… ({len(data)} chars)"
        return f"{self.role} {self.method} {self.url} {data} {self.headers} {self.note}".strip()


def snapshot() -> dict:
    """Every row of the studio's tables, in primary-key order (users included; sessions,
    permissions and content types are not the studio's records)."""
    rows = {}
    for label in SNAPSHOT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label not in NOT_RECORDS:
                rows[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return rows


def media_files() -> dict[str, tuple[int, int]]:
    """Every media file with its size and modification time: a rewrite changes one of them."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            found[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return found


def clients_for(world: World) -> dict[str, Client]:
    """One signed-in client per visitor (the anonymous one signed in as nobody)."""
    clients = {"anonymous": Client(), "staff": Client()}
    clients["staff"].force_login(world.staff)
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def is_refused(case: Case, response, world: World) -> bool:
    """Whether the studio said no: then nothing saved may have changed."""
    if response.status_code >= 400 or case.method in ("GET", "HEAD", "OPTIONS"):
        return True
    path = urlsplit(case.url).path
    location = response.headers.get("Location", "")
    if case.role == "anonymous":
        return path.startswith("/projects/") or location.startswith(resolve_url(settings.LOGIN_URL))
    # Viewers are the reviewers: they may comment (projects/views/comments.py), nothing else.
    if case.role == "viewer" and _view_name(path) in VIEWERS_MAY_POST:
        return False
    # Neither a viewer nor an outsider may change anything of the world's project.
    return case.role in ("viewer", "outsider") and path.startswith(f"/projects/{world.project.pk}/")


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return ""


VIEWERS_MAY_POST = {
    "projects:comments",
    "projects:comment-edit",
    "projects:comment-delete",
    "projects:comment-resolve",
    "projects:comment-reopen",
}


def run(world: World, case: Case, counter: str):
    """Send `case`, fail on a server error, and on a refusal fail if anything saved changed.
    Whatever the case did is rolled back, so every case meets the same studio: the one that
    was snapshot once, when the suite began."""
    CASES[counter] += 1
    if not world.baseline:
        world.baseline = (snapshot(), media_files())
    rows_before, files_before = world.baseline
    client = world.clients[case.role]
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    writes: list[str] = []
    with transaction.atomic(), connection.execute_wrapper(_record_writes(writes)):
        kwargs = {"headers": case.headers} if case.headers else {}
        if case.content_type:
            kwargs["content_type"] = case.content_type
        try:
            response = getattr(client, case.method.lower())(case.url, case.data or {}, **kwargs)
            if response.streaming:  # a CSV or a file: the error would come while streaming
                b"".join(response.streaming_content)
        except Exception:
            raise AssertionError(f"server error for {case}:\n{traceback.format_exc()}") from None
        assert response.status_code < 500, f"HTTP {response.status_code} for {case}"
        if case.refused or is_refused(case, response, world):
            # Rows change only through a write statement: compare them only after one.
            now = snapshot() if writes else rows_before
            changed = [label for label, rows in now.items() if rows != rows_before[label]]
            assert not changed, f"refused ({response.status_code}) yet changed {changed}: {case}"
            assert media_files() == files_before, f"refused yet media changed: {case}"
        transaction.set_rollback(True)
    _remove_new_files(files_before)
    # A case may have signed the visitor out or rotated its session: the next one starts as
    # this one did (the session rows themselves were rolled back with everything else).
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies[name] = value
    return response


WRITE = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _record_writes(writes: list[str]):
    """A database execute wrapper that notes every statement that could change a row of the
    studio's (sessions are the visitor's, not a record)."""

    def wrapper(execute, sql, params, many, context):
        statement = sql.lstrip().upper()
        if statement.startswith(WRITE) and '"DJANGO_SESSION"' not in statement[:40]:
            writes.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def _remove_new_files(before: dict[str, str]) -> None:
    root = Path(settings.MEDIA_ROOT)
    for name in set(media_files()) - set(before):
        (root / name).unlink(missing_ok=True)


# --- finding the forms --------------------------------------------------------------------
def crawl(world: World) -> tuple[list[Form], dict[str, set[str]]]:
    """Open every page as the owner, with and without HTMX (and pages outside projects as an
    anonymous visitor too), collect the forms they render and what each route accepts."""
    owner, anonymous = world.clients["owner"], world.clients["anonymous"]
    methods: dict[str, set[str]] = {}
    forms: dict[tuple, Form] = {}
    for route in routes():
        combos = fill(route, world, crawling=True)
        first = url_for(route, combos[0])
        visitors = [owner] if first.startswith("/projects/") else [owner, anonymous]
        methods[route.name] = allowed_methods(visitors, first)
        if "GET" not in methods[route.name]:
            continue
        for kwargs in combos:
            url = url_for(route, kwargs)
            for client in visitors:
                for headers in ({}, {"HX-Request": "true"}):
                    with transaction.atomic():  # a page that wrote would be a bug found later
                        response = client.get(url, headers=headers)
                        transaction.set_rollback(True)
                    if response.status_code != 200 or "html" not in response.get(
                        "Content-Type", ""
                    ):
                        continue
                    for form in forms_in(response.content.decode(), url):
                        forms.setdefault((form.key, form.url), form)
    return sorted(forms.values(), key=lambda f: (f.route, f.url, f.key)), methods
