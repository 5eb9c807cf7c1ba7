"""Hypothesis: any request bytes get a protocol-shaped answer, never a 500 or a hang."""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tandem.trpc import TRPCApp

from .sample import create_context, sample_router

app = TRPCApp(sample_router, create_context=create_context)
superjson_app = TRPCApp(sample_router, create_context=create_context, superjson=True)

# Procedures that finish at once whatever their input (no sleeps, no crashes on purpose).
SAFE_PATHS = [
    "ping",
    "echo",
    "echoMutation",
    "touch",
    "types",
    "when",
    "fail",
    "whoami",
    "numbers",
    "nested.deeper.ping",
]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


async def request(
    method: str,
    path: str,
    query: bytes,
    body: bytes,
    headers: list[tuple[bytes, bytes]],
    target: TRPCApp = app,
) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    started: dict[str, Any] = {}
    chunks: list[bytes] = []
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            started.update(message)
        else:
            chunks.append(message.get("body", b""))

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": "",
        "query_string": query,
        "headers": headers,
    }
    await asyncio.wait_for(target(scope, receive, send), 2)
    return started["status"], b"".join(chunks), started["headers"]


def assert_protocol_shaped(status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    assert status < 500, body
    if status == 204:
        assert body == b""
        return
    content_type = dict(headers)[b"content-type"]
    if content_type == b"text/event-stream":
        assert body.startswith(b"event: connected\n")
        return
    # a JSON body is one line; JSON lines are several
    values = [json.loads(line) for line in body.split(b"\n") if line.strip()]
    assert values
    for value in values:
        for envelope in value if isinstance(value, list) else [value]:
            if isinstance(envelope, dict) and "error" in envelope:
                error = envelope["error"]
                assert isinstance(error["message"], str) and isinstance(error["code"], int)
                assert set(error["data"]) <= {"code", "httpStatus", "path", "zodError"}


path_strategy = st.one_of(
    st.lists(st.sampled_from(SAFE_PATHS), min_size=1, max_size=4).map(",".join),
    st.text(max_size=30),
).map(lambda p: "/" + p)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"]),
    path=path_strategy,
    query=st.one_of(
        st.binary(max_size=60),
        st.builds(
            lambda batch, raw: (("batch=1&" if batch else "") + "input=" + quote(raw)).encode(),
            st.booleans(),
            st.one_of(st.text(max_size=40), json_values.map(json.dumps)),
        ),
    ),
    body=st.one_of(st.binary(max_size=60), json_values.map(lambda v: json.dumps(v).encode())),
    content_type=st.sampled_from(
        [None, b"application/json", b"text/plain", b"APPLICATION/JSON; x=y", b"\xff"]
    ),
    jsonl=st.booleans(),
)
def test_any_request_gets_a_protocol_shaped_answer(
    method: str, path: str, query: bytes, body: bytes, content_type: bytes | None, jsonl: bool
) -> None:
    headers = [(b"content-type", content_type)] if content_type is not None else []
    if jsonl:
        headers.append((b"trpc-accept", b"application/jsonl"))
    status, response, response_headers = asyncio.run(request(method, path, query, body, headers))
    assert_protocol_shaped(status, response, response_headers)


@settings(max_examples=300, deadline=None)
@given(value=json_values, path=st.sampled_from(["echo", "types", "fail"]))
def test_any_input_is_validated_not_crashed(value: Any, path: str) -> None:
    query = ("input=" + quote(json.dumps(value))).encode()
    status, body, _ = asyncio.run(request("GET", f"/{path}", query, b"", []))
    envelope = json.loads(body)
    if path == "fail" and status != 400:
        assert (
            envelope["error"]["data"]["path"] == "fail"
        )  # it fails on purpose, with the code asked
    else:
        assert status in (200, 400), body
        if status == 400:
            zod = envelope["error"]["data"]["zodError"]
            assert zod["formErrors"] or zod["fieldErrors"]


@settings(max_examples=200, deadline=None)
@given(value=json_values, meta=json_values, path=st.sampled_from(["echo", "types", "ping"]))
def test_superjson_server_takes_any_input(value: Any, meta: Any, path: str) -> None:
    wire = json.dumps({"json": value, "meta": {"values": meta, "v": 1}})
    query = ("input=" + quote(wire)).encode()
    status, body, _ = asyncio.run(request("GET", f"/{path}", query, b"", [], superjson_app))
    assert status in (200, 400), body
    assert "json" in (json.loads(body).get("error") or json.loads(body)["result"]["data"])
