"""JSON lines (httpBatchStreamLink) and SSE subscriptions, in process."""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any

import httpx
from tandem.trpc import TRPCApp

from .sample import create_context, probe, sample_router

JSONL = {"trpc-accept": "application/jsonl"}


def lines(response: httpx.Response) -> list[Any]:
    assert response.content.endswith(b"\n")
    return [json.loads(line) for line in response.content.decode().splitlines()]


def events(response: httpx.Response) -> list[dict[str, str]]:
    parsed = []
    for block in response.text.split("\n\n"):
        if not block:
            continue
        event: dict[str, str] = {}
        for line in block.split("\n"):
            name, _, value = line.partition(": ")
            event[name] = value
        parsed.append(event)
    return parsed


async def test_jsonl_head_then_one_chunk_per_call_as_they_finish(client: httpx.AsyncClient) -> None:
    batch = {"0": {"ms": 200}, "1": {"text": "quick"}, "2": {"code": "CONFLICT", "message": "no"}}
    response = await client.get(
        "/slow,echo,fail,nope", params={"batch": "1", "input": json.dumps(batch)}, headers=JSONL
    )
    assert response.status_code == 200
    head, *chunks = lines(response)
    assert head == {str(i): [[0], [None, 0, i]] for i in range(4)}
    assert chunks[-1] == [0, 0, [[{"result": {"data": {"ms": 200}}}]]]  # the slow one comes last
    by_id = {chunk[0]: chunk for chunk in chunks}
    assert by_id[1] == [1, 0, [[{"result": {"data": {"text": "quick", "n": None}}}]]]
    error = by_id[2][2][0][0]["error"]
    assert error["data"] == {
        "code": "CONFLICT",
        "httpStatus": 409,
        "path": "fail",
        "zodError": None,
    }
    assert by_id[3][2][0][0]["error"]["data"]["code"] == "NOT_FOUND"


async def test_jsonl_async_iterable_query(client: httpx.AsyncClient) -> None:
    response = await client.get("/numbers", params={"batch": "1", "input": "{}"}, headers=JSONL)
    head, *chunks = lines(response)
    assert head == {"0": [[0], [None, 0, 0]]}
    assert chunks == [
        [0, 0, [[{"result": 0}], ["result", 0, 1]]],
        [1, 0, [[{"data": 0}], ["data", 1, 2]]],
        [2, 1, [[1]]],
        [2, 1, [[2]]],
        [2, 1, [[3]]],
        [2, 0, [[]]],
    ]


async def test_jsonl_iterable_failing_midway(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/numbers", params={"batch": "1", "input": '{"0":2}'}, headers=JSONL
    )
    *_, item, failure = lines(response)
    assert item == [2, 1, [[1]]]
    assert failure[:2] == [2, 2]
    assert failure[2]["message"] == "failed at 2"
    assert failure[2]["data"]["code"] == "CONFLICT"


async def test_jsonl_via_accept_header_and_mutations(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/echoMutation,echoMutation?batch=1",
        content=b'{"0":{"text":"m1"},"1":{"text":""}}',
        headers={"content-type": "application/json", "accept": "text/html, application/jsonl"},
    )
    assert response.status_code == 200
    _, *chunks = lines(response)
    by_id = {chunk[0]: chunk[2][0][0] for chunk in chunks}
    assert by_id[0] == {"result": {"data": {"text": "m1", "n": None}}}
    assert by_id[1]["error"]["data"]["zodError"]["fieldErrors"].keys() == {"text"}


async def test_jsonl_requires_a_batch(client: httpx.AsyncClient) -> None:
    response = await client.get("/ping", headers=JSONL)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "Streaming requests must be batched (you can do a batch of 1)"
    )


async def test_sse_tracked_events_then_return(client: httpx.AsyncClient) -> None:
    response = await client.get("/ticker", params={"input": '{"count":3}'})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream"
    assert response.headers["cache-control"] == "no-cache, no-transform"
    assert events(response) == [
        {"event": "connected", "data": "{}"},
        {"id": "1", "data": '{"i":1}'},
        {"id": "2", "data": '{"i":2}'},
        {"id": "3", "data": '{"i":3}'},
        {"event": "return", "data": ""},
    ]


async def test_sse_untracked_values(client: httpx.AsyncClient) -> None:
    response = await client.get("/plain")
    assert [e.get("data") for e in events(response)] == ["{}", '"a"', '"b"', ""]


async def test_sse_resume_by_header_query_and_input(client: httpx.AsyncClient) -> None:
    by_header = await client.get(
        "/ticker", params={"input": '{"count":4}'}, headers={"last-event-id": "2"}
    )
    assert [e.get("id") for e in events(by_header)] == [None, "3", "4", None]
    by_query = await client.get("/ticker", params={"input": '{"count":4}', "lastEventId": "3"})
    assert [e.get("id") for e in events(by_query)] == [None, "4", None]
    past_end = await client.get("/ticker", params={"input": '{"count":2,"lastEventId":"2"}'})
    assert [e.get("event") for e in events(past_end)] == ["connected", "return"]


async def test_sse_errors_are_serialized_error_events(client: httpx.AsyncClient) -> None:
    midway = events(await client.get("/ticker", params={"input": '{"count":5,"failAt":2}'}))
    assert [e.get("event") for e in midway] == ["connected", None, "serialized-error"]
    error = json.loads(midway[-1]["data"])
    assert error["message"] == "ticker failed at 2" and error["code"] == -32009
    invalid = events(await client.get("/ticker", params={"input": '{"count":0}'}))
    assert [e.get("event") for e in invalid] == ["connected", "serialized-error"]
    assert json.loads(invalid[-1]["data"])["data"]["zodError"]["fieldErrors"].keys() == {"count"}


async def test_sse_unknown_path_is_plain_json_and_batches_refuse_subscriptions(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/tickr")).status_code == 404
    response = await client.get("/ticker", params={"batch": "1", "input": "{}"})
    assert response.json()[0]["error"]["message"] == "Cannot batch subscription calls"


async def run_until_disconnect(
    path: str,
    query: bytes,
    disconnect_after: float,
    headers: list[tuple[bytes, bytes]] | None = None,
    **options: Any,
) -> bytes:
    app = TRPCApp(sample_router, create_context=create_context, **options)
    sent: list[bytes] = []
    started = asyncio.get_running_loop().time()
    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(
            max(0.0, disconnect_after - (asyncio.get_running_loop().time() - started))
        )
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.body":
            sent.append(message.get("body", b""))

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "root_path": "",
        "query_string": query,
        "headers": headers or [],
    }
    await asyncio.wait_for(app(scope, receive, send), 5)
    return b"".join(sent)


async def test_sse_disconnect_stops_the_generator() -> None:
    probe.closed.clear()
    body = await run_until_disconnect(
        "/ticker", b'input={"count":20,"intervalMs":1000}', 0.3, sse_ping_interval=0.1
    )
    assert probe.closed == ["ticker"]
    assert b'id: 1\ndata: {"i":1}' in body
    assert b"event: ping" in body  # idle keep-alive while waiting for the next tick
    assert b"id: 2" not in body and b"event: return" not in body


async def test_jsonl_disconnect_cancels_pending_calls() -> None:
    started = asyncio.get_running_loop().time()
    body = await run_until_disconnect(
        "/slow,numbers",
        b'batch=1&input={"0":{"ms":2000}}',
        0.2,
        headers=[(b"trpc-accept", b"application/jsonl")],
    )
    assert asyncio.get_running_loop().time() - started < 1.0
    assert b"[3,1,[[3]]]\n[3,0,[[]]]" in body  # the iterable finished before the client left
    assert b'"ms":2000' not in body


async def test_sse_untracked_value_after_a_tracked_one_keeps_ids_straight(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/plain", headers={"last-event-id": "7"})
    assert response.text == (
        "event: connected\ndata: {}\n\n"
        'data: "a"\nid: \n\nevent: restore-id\ndata: \nid: 7\n\n'
        'data: "b"\nid: \n\nevent: restore-id\ndata: \nid: 7\n\n'
        "event: return\ndata: \n\n"
    )


async def test_jsonl_unserializable_output_is_that_calls_error(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/unserializable,ping", params={"batch": "1", "input": "{}"}, headers=JSONL
    )
    _, *chunks = lines(response)
    by_id = {chunk[0]: chunk[2][0][0] for chunk in chunks}
    assert by_id[0]["error"]["data"]["code"] == "INTERNAL_SERVER_ERROR"
    assert by_id[1] == {"result": {"data": {"pong": True}}}
