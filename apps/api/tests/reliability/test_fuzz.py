"""Bad input: random requests to tRPC and auth get a 4xx in the protocol's shape, never a 500 or a traceback."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tandem.auth.app import PARAM_ROUTES, ROUTES
from tandem_api.router import app_router

from .harness import LONG, Browser, Server, auth_error_problem, connect, report, trpc_shape_problem

EXAMPLES = 3000 if LONG else 150
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass
class Target:
    server: Server
    cookie: str
    cases: dict[str, int]


@pytest.fixture(scope="module")
async def target(shared_server: Server) -> AsyncIterator[Target]:
    async with connect(shared_server) as http:
        browser = Browser(http, shared_server.url)
        await browser.sign_up()
    assert browser.cookie
    logged_before = len(shared_server.logs())
    yield Target(shared_server, browser.cookie, {})
    # Nothing the fuzzers sent may have raised inside the server (other tests' 500s came before).
    during = shared_server.logs()[logged_before:]
    assert "Traceback" not in during, during[-3000:]


@pytest.fixture(scope="module")
def client(target: Target) -> Iterator[httpx.Client]:
    jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    with httpx.Client(base_url=target.server.url, timeout=15.0, cookies=jar) as http:
        yield http


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)
procedure_paths = st.sampled_from(sorted(app_router.procedures))
paths = st.one_of(
    procedure_paths,
    st.lists(procedure_paths, min_size=1, max_size=4).map(",".join),
    st.text(max_size=40).map(lambda s: s.replace("?", "").replace("#", "")),
    st.sampled_from(
        ["", ",", "task", "task.", ".list", "task.list,", "%FF", "task.list%00", "a" * 3000]
    ),
)
task_inputs = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=40) | st.integers() | st.none(),
        "title": st.text(max_size=250) | st.integers() | st.none(),
        "description": st.text(max_size=30) | st.none(),
        "done": st.booleans() | st.integers() | st.text(max_size=5),
        "limit": st.integers(-5, 200) | st.floats() | st.text(max_size=5),
        "cursor": st.text(max_size=40) | st.none(),
    },
)
inputs = st.one_of(
    task_inputs,
    json_values,
    st.dictionaries(st.sampled_from(["0", "1", "2", "x"]), task_inputs | json_values, max_size=3),
)


@st.composite
def query_strings(draw: st.DrawFn) -> bytes:
    parts = []
    batch = draw(st.sampled_from([None, "1", "true", "0", "", "2"]))
    if batch is not None:
        parts.append(b"batch=" + batch.encode())
    form = draw(st.sampled_from(["json", "raw", "bytes", "none"]))
    if form == "json":
        parts.append(b"input=" + quote(json.dumps(draw(inputs)), safe="").encode())
    elif form == "raw":
        raw = draw(st.text(max_size=60)).encode("utf-8", "surrogatepass")
        parts.append(
            b"input="
            + b"".join(
                bytes([c]) if 0x21 <= c < 0x7F and c not in b"&#%" else b"%%%02X" % c for c in raw
            )
        )
    elif form == "bytes":
        parts.append(
            b"input=" + "".join(f"%{b:02X}" for b in draw(st.binary(max_size=30))).encode()
        )
    return b"&".join(parts)


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["json", "bytes", "text", "empty"]))
    if kind == "json":
        return json.dumps(draw(inputs)).encode()
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "text":
        return draw(st.text(max_size=200)).encode("utf-8", "surrogatepass")
    return b""


content_types = st.sampled_from(
    [
        "application/json",
        "APPLICATION/JSON; charset=utf-8",
        "text/plain",
        "",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "application/json\x7f",
        "ä/ö",
    ]
)


def _quote_path(path: str) -> str:
    return "".join(
        c
        if c.isascii() and c.isprintable() and c not in "%?# "
        else "".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass"))
        for c in path
    )


def _rejected_by_http_parser(response: httpx.Response) -> bool:
    """uvicorn's HTTP parser refuses malformed requests (e.g. a control character in a header) with a plain
    400 before any application code runs; the protocols' shapes start behind it."""
    return response.status_code == 400 and response.content == b"Invalid HTTP request received."


def _check_trpc(response: httpx.Response, label: str) -> None:
    if _rejected_by_http_parser(response):
        return
    assert response.status_code < 500, f"{label}: {response.status_code} {response.text[:300]}"
    assert "Traceback" not in response.text, label
    if response.status_code == 204 or response.request.method == "HEAD":
        return
    if "event-stream" in response.headers.get("content-type", ""):
        return
    problem = trpc_shape_problem(response)
    assert problem is None, f"{label}: {problem}"


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
    path=paths,
    query=query_strings(),
    body=bodies(),
    content_type=content_types,
    signed_in=st.booleans(),
    streaming=st.booleans(),
)
def test_fuzz_trpc(
    client: httpx.Client,
    target: Target,
    method: str,
    path: str,
    query: bytes,
    body: bytes,
    content_type: str,
    signed_in: bool,
    streaming: bool,
) -> None:
    headers: list[tuple[bytes, bytes]] = (
        [(b"content-type", content_type.encode())] if content_type else []
    )
    if signed_in:
        headers.append((b"cookie", f"better-auth.session_token={target.cookie}".encode()))
    if streaming:
        headers.append((b"trpc-accept", b"application/jsonl"))
    url = httpx.URL(target.server.url + "/api/trpc/" + _quote_path(path), query=query)
    request = client.build_request(
        method, url, content=body if method != "GET" else None, headers=headers
    )
    response = client.send(request)
    target.cases["trpc"] = target.cases.get("trpc", 0) + 1
    _check_trpc(response, f"{method} {path!r} {query[:100]!r} {content_type!r} {body[:100]!r}")


auth_paths = st.one_of(
    st.sampled_from(sorted({p for _, p in ROUTES})),
    st.sampled_from(sorted({p for _, p in PARAM_ROUTES})).map(lambda p: p + "/x"),
    st.text(max_size=30).map(lambda s: "/" + s.replace("?", "").replace("#", "")),
)
field_values = st.one_of(
    st.text(max_size=60),
    st.text(
        alphabet=st.characters(min_codepoint=0x1F600, max_codepoint=0x1F64F),
        min_size=1,
        max_size=70,
    ),
    st.sampled_from(
        [
            "a@b.co",
            "A@B.CO",
            "x@localhost",
            "@",
            "a@",
            "a@b",
            "\u0430@example.com",
            "x" * 300 + "@example.com",
            "a@b.co\x00",
            "ﬀ@example.com",
            "\ud800",
        ]
    ),
    st.integers(),
    st.none(),
    st.booleans(),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
    st.just("p" * 20_000),
)
auth_bodies = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            key: field_values
            for key in [
                "email",
                "password",
                "name",
                "token",
                "newPassword",
                "currentPassword",
                "callbackURL",
                "redirectTo",
                "image",
                "rememberMe",
                "revokeOtherSessions",
                "newEmail",
                "provider",
            ]
        },
    ).map(lambda d: json.dumps(d).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=100),
    st.sampled_from(
        [
            b"",
            b"{",
            b'{"email":',
            b"null",
            b"[]",
            b'{"email": "\xff\xfe"}',
            b"{" * 5000 + b"}" * 5000,
        ]
    ),
)


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "POST", "POST", "PUT", "DELETE"]),
    path=auth_paths,
    body=auth_bodies,
    content_type=content_types,
    signed_in=st.booleans(),
    address=st.integers(1, 60000),
)
def test_fuzz_auth(
    client: httpx.Client,
    target: Target,
    method: str,
    path: str,
    body: bytes,
    content_type: str,
    signed_in: bool,
    address: int,
) -> None:
    headers = [
        (b"origin", target.server.url.encode()),
        (b"x-forwarded-for", f"198.18.{address // 250}.{address % 250 + 1}".encode()),
    ]
    if content_type:
        headers.append((b"content-type", content_type.encode()))
    if signed_in:
        headers.append((b"cookie", f"better-auth.session_token={target.cookie}".encode()))
    url = target.server.url + "/api/auth" + _quote_path(path)
    response = client.request(
        method, url, content=body if method != "GET" else None, headers=headers
    )
    target.cases["auth"] = target.cases.get("auth", 0) + 1
    label = f"{method} {path!r} {content_type!r} {body[:120]!r}"
    if _rejected_by_http_parser(response):
        return
    assert response.status_code < 500, f"{label}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        problem = auth_error_problem(response)
        assert problem is None, f"{label}: {problem}"
    # The fuzzed user's session must survive everything except its own sign-out or revocation.


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


EXTREMES: list[tuple[str, str, dict[str, str], bytes]] = [
    # Each is refused with a 4xx, except where noted.
    ("GET", "/api/trpc/task.list?input=" + "%5B" * 8000 + "%5D" * 8000, {}, b""),
    (
        "POST",
        "/api/trpc/task.create",
        {"content-type": "application/json"},
        _deep(100_000).encode(),
    ),
    (
        "POST",
        "/api/trpc/task.create",
        {"content-type": "application/json"},
        b'{"title": "' + b"x" * (2 * 1024 * 1024) + b'"}',
    ),
    (
        "POST",
        "/api/trpc/task.create?batch=1",
        {"content-type": "application/json"},
        b'{"0": {"title": "' + b"x" * (600 * 1024) + b'"}}',
    ),
    (
        "POST",
        "/api/trpc/task.create",
        {"content-type": "application/json"},
        b'{"title": "\xff\xfe\xfd"}',
    ),
    ("GET", "/api/trpc/task.list?input=%FF%FE", {}, b""),
    ("GET", "/api/trpc/%FF%FE", {}, b""),
    ("GET", "/api/trpc/" + ",".join(["health.ping"] * 101) + "?batch=1", {}, b""),
    (
        "POST",
        "/api/trpc/task.create",
        {"content-type": "application/json", "x-chunked": "1"},
        b"[" + b"1," * (700 * 1024) + b"1]",
    ),
    (
        "POST",
        "/api/auth/sign-up/email",
        {"content-type": "application/json"},
        _deep(100_000).encode(),
    ),
    (
        "POST",
        "/api/auth/sign-up/email",
        {"content-type": "application/json"},
        b'{"email":"' + b"a" * (2 * 1024 * 1024) + b'@x.io","password":"p","name":"n"}',
    ),
    (
        "POST",
        "/api/auth/sign-in/email",
        {"content-type": "application/json"},
        b'{"email":"\xff@x.io","password":"\xfe"}',
    ),
    ("GET", "/api/auth/reset-password/%FF?callbackURL=%FF", {}, b""),
]
# Not an error: no session (200 `null`).
NO_SESSION = (
    "GET",
    "/api/auth/get-session",
    {"cookie": "better-auth.session_token=\u00ff\u00fe%FF"},
    b"",
)


@pytest.mark.parametrize(("method", "url", "headers", "body"), EXTREMES, ids=range(len(EXTREMES)))
def test_extreme_inputs(
    client: httpx.Client,
    target: Target,
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
) -> None:
    headers = {
        "origin": target.server.url,
        "cookie": f"better-auth.session_token={target.cookie}",
        **headers,
    }
    raw_headers = [(k.encode(), v.encode("utf-8")) for k, v in headers.items()]
    # x-chunked: sent without a content-length, in chunks, so a size limit cannot trust the header.
    content: bytes | Iterator[bytes] | None = body or None
    if headers.get("x-chunked"):
        content = iter([body[i : i + 65536] for i in range(0, len(body), 65536)])
    response = client.send(client.build_request(method, url, content=content, headers=raw_headers))
    target.cases["extreme"] = target.cases.get("extreme", 0) + 1
    assert 400 <= response.status_code < 500, f"{response.status_code} {response.text[:300]}"
    if "/api/trpc/" in url:
        assert trpc_shape_problem(response) is None, response.text[:300]
    else:
        assert auth_error_problem(response) is None, response.text[:300]


def test_non_utf8_cookie_is_no_session(client: httpx.Client, target: Target) -> None:
    method, url, headers, _ = NO_SESSION
    response = client.request(
        method, url, headers=[(k.encode(), v.encode()) for k, v in headers.items()]
    )
    assert response.status_code == 200 and response.json() is None, response.text[:300]


def test_fuzz_report(target: Target) -> None:
    """Runs last in this module: the number of cases the fuzzers sent."""
    assert target.cases.get("trpc", 0) >= EXAMPLES // 2
    assert target.cases.get("auth", 0) >= EXAMPLES // 2
    assert target.server.alive()
    report(
        "fuzz", examples_per_fuzzer=EXAMPLES, cases=target.cases, total=sum(target.cases.values())
    )
