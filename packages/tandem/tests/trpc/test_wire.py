"""The tRPC HTTP protocol, in process (httpx ASGITransport)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from tandem.trpc import ERROR_CODES, TRPCApp, procedure, router

from .sample import probe

JSON = {"content-type": "application/json"}


def inp(value: Any) -> dict[str, str]:
    return {"input": json.dumps(value)}


def binp(value: Any) -> dict[str, str]:
    return {"batch": "1", **inp(value)}


def assert_error(envelope: Any, code: str, path: str | None, message: str | None = None) -> None:
    error = envelope["error"]
    number, status = ERROR_CODES[code]
    assert error["code"] == number
    expected_data = {"code": code, "httpStatus": status}
    if path is not None:
        expected_data["path"] = path
    assert {k: v for k, v in error["data"].items() if k != "zodError"} == expected_data
    assert "zodError" in error["data"]
    assert isinstance(error["message"], str)
    if message is not None:
        assert error["message"] == message


async def test_query_success_envelope_and_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/ping")
    assert response.status_code == 200
    assert response.content == b'{"result":{"data":{"pong":true}}}'
    assert response.headers["content-type"] == "application/json"
    assert response.headers["vary"] == "trpc-accept, accept"


async def test_nested_router_paths_and_trailing_slash(client: httpx.AsyncClient) -> None:
    assert (await client.get("/nested.deeper.ping/")).json() == {"result": {"data": {"pong": True}}}


async def test_query_input_unknown_keys_dropped(client: httpx.AsyncClient) -> None:
    response = await client.get("/echo", params=inp({"text": "héllo ✓ 🚀 &?=/#%", "x": 1}))
    assert response.json() == {"result": {"data": {"text": "héllo ✓ 🚀 &?=/#%", "n": None}}}


async def test_dates_go_out_like_to_iso_string(client: httpx.AsyncClient) -> None:
    data = (await client.get("/when")).json()["result"]["data"]
    assert data == {
        "at": "2020-01-02T03:04:05.678Z",
        "naive": "2021-01-01T00:00:00.000Z",
        "day": "2022-02-03",
        "tags": ["x"],
    }


async def test_mutation_post_and_empty_body(client: httpx.AsyncClient) -> None:
    response = await client.post("/echoMutation", content=b'{"text":"w","n":-7}', headers=JSON)
    assert response.json() == {"result": {"data": {"text": "w", "n": -7}}}
    assert (await client.post("/touch", headers=JSON)).json() == {"result": {"data": "touched"}}
    # no body for a procedure with an input: the input is missing (a form error)
    response = await client.post("/echoMutation", headers=JSON)
    assert response.status_code == 400
    zod = response.json()["error"]["data"]["zodError"]
    assert zod["fieldErrors"] == {} and len(zod["formErrors"]) == 1


async def test_get_on_mutation_is_405_with_allow(client: httpx.AsyncClient) -> None:
    before = probe.runs
    response = await client.get("/touch")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert_error(
        response.json(),
        "METHOD_NOT_SUPPORTED",
        "touch",
        'Unsupported GET-request to mutation procedure at path "touch"',
    )
    assert probe.runs == before


async def test_post_runs_queries_single_and_batched(client: httpx.AsyncClient) -> None:
    assert (await client.post("/ping", headers=JSON)).json() == {"result": {"data": {"pong": True}}}
    response = await client.post("/echo,ping?batch=1", content=b'{"0":{"text":"p"}}', headers=JSON)
    assert response.status_code == 200
    assert response.json() == [
        {"result": {"data": {"text": "p", "n": None}}},
        {"result": {"data": {"pong": True}}},
    ]


async def test_head_is_204_and_runs_nothing(client: httpx.AsyncClient) -> None:
    before = (probe.runs, probe.contexts)
    response = await client.head("/ping")
    assert response.status_code == 204
    assert response.content == b""
    assert (probe.runs, probe.contexts) == before


async def test_unknown_procedure(client: httpx.AsyncClient) -> None:
    response = await client.get("/nope.nothing")
    assert response.status_code == 404
    assert_error(
        response.json(), "NOT_FOUND", "nope.nothing", 'No procedure found on path "nope.nothing"'
    )


async def test_batch_order_inputs_and_207(client: httpx.AsyncClient) -> None:
    batch_input = {"0": {"text": "a"}, "2": {"code": "FORBIDDEN", "message": "keep out"}, "9": 1}
    response = await client.get("/echo,ping,fail,echo", params=binp(batch_input))
    assert response.status_code == 207
    body = response.json()
    assert body[0] == {"result": {"data": {"text": "a", "n": None}}}
    assert body[1] == {"result": {"data": {"pong": True}}}
    assert_error(body[2], "FORBIDDEN", "fail", "keep out")
    assert_error(body[3], "BAD_REQUEST", "echo")  # index 3 absent: no input


async def test_batch_of_one_is_an_array_and_common_status(client: httpx.AsyncClient) -> None:
    response = await client.get("/ping", params=binp({}))
    assert response.json() == [{"result": {"data": {"pong": True}}}]
    response = await client.get("/whoami,whoami", params=binp({}))
    assert response.status_code == 401
    for envelope in response.json():
        assert_error(envelope, "UNAUTHORIZED", "whoami", "UNAUTHORIZED")


async def test_mixed_procedure_types_is_a_request_error(client: httpx.AsyncClient) -> None:
    response = await client.get("/ping,touch,nope", params=binp({}))
    assert response.status_code == 400
    assert_error(
        response.json(), "BAD_REQUEST", None, "Cannot mix procedure types in call: query, mutation"
    )
    assert "path" not in response.json()["error"]["data"]


async def test_max_batch_size(client: httpx.AsyncClient) -> None:
    ok = await client.get("/" + ",".join(["ping"] * 100) + "", params=binp({}))
    assert ok.status_code == 200 and len(ok.json()) == 100
    too_many = await client.get("/" + ",".join(["ping"] * 101) + "", params=binp({}))
    assert too_many.status_code == 400
    assert_error(too_many.json(), "BAD_REQUEST", None, "Batch call exceeds maximum size")


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Missing content-type header"),
        ({"content-type": "text/plain"}, 'Unsupported content-type "text/plain'),
        ({"content-type": "application/jsonx"}, None),
    ],
)
async def test_post_content_types(
    client: httpx.AsyncClient, headers: dict[str, str], message: str | None
) -> None:
    response = await client.post("/touch", content=b"{}", headers=headers)
    assert response.status_code == 415
    assert_error(response.json(), "UNSUPPORTED_MEDIA_TYPE", None, message)


async def test_content_type_parameters_and_case(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/touch", headers={"content-type": "Application/JSON; charset=utf-8"}
    )
    assert response.status_code == 200


async def test_body_size_limit(client: httpx.AsyncClient) -> None:
    half = json.dumps({"text": "a", "pad": "x" * (512 * 1024)}).encode()
    assert (await client.post("/echoMutation", content=half, headers=JSON)).status_code == 200
    big = json.dumps({"text": "a", "pad": "x" * (1 << 20)}).encode()
    response = await client.post("/echoMutation", content=big, headers=JSON)
    assert response.status_code == 413
    assert_error(response.json(), "PAYLOAD_TOO_LARGE", None)

    async def chunks() -> Any:
        for _ in range(20):
            yield b"x" * 65536

    chunked = await client.post(
        "/echoMutation,echoMutation?batch=1", content=chunks(), headers=JSON
    )
    assert chunked.status_code == 413


async def test_malformed_json_is_per_call_bad_request(client: httpx.AsyncClient) -> None:
    response = await client.get("/echo", params={"input": "{"})
    assert response.status_code == 400
    assert_error(response.json(), "BAD_REQUEST", "echo")
    assert response.json()["error"]["data"]["zodError"] is None
    response = await client.get("/echo,ping", params={"batch": "1", "input": "{bad"})
    assert response.status_code == 207
    assert_error(response.json()[0], "BAD_REQUEST", "echo")
    assert response.json()[1] == {"result": {"data": {"pong": True}}}


async def test_batch_input_must_be_an_object(client: httpx.AsyncClient) -> None:
    response = await client.get("/echo", params=binp([1]))
    assert_error(
        response.json()[0],
        "BAD_REQUEST",
        "echo",
        '"input" needs to be an object when doing a batch call',
    )


async def test_no_input_procedure_ignores_input(client: httpx.AsyncClient) -> None:
    assert (await client.get("/ping", params={"input": "{not json"})).status_code == 200


async def test_all_error_codes(client: httpx.AsyncClient) -> None:
    for code, (_, status) in ERROR_CODES.items():
        response = await client.get("/fail", params=inp({"code": code, "message": f"m {code}"}))
        assert response.status_code == status
        assert response.json() == {
            "error": {
                "message": f"m {code}",
                "code": ERROR_CODES[code][0],
                "data": {"code": code, "httpStatus": status, "path": "fail", "zodError": None},
            }
        }
    response = await client.get("/fail", params=inp({"code": "CONFLICT"}))
    assert response.json()["error"]["message"] == "CONFLICT"


async def test_internal_errors_are_masked_without_stack(make_client: Any) -> None:
    response = await make_client().get("/crash")
    assert response.status_code == 500
    assert_error(response.json(), "INTERNAL_SERVER_ERROR", "crash")
    assert "secret" not in response.text and "stack" not in response.text
    debug = await make_client(debug=True).get("/crash")
    assert debug.json()["error"]["message"] == "secret internals"
    assert "stack" not in debug.json()["error"]["data"]


async def test_unserializable_output_is_a_500_for_that_call(client: httpx.AsyncClient) -> None:
    response = await client.get("/unserializable,ping", params=binp({}))
    assert response.status_code == 207
    assert_error(response.json()[0], "INTERNAL_SERVER_ERROR", "unserializable")


async def test_stream_like_output_without_streaming_is_415(client: httpx.AsyncClient) -> None:
    response = await client.get("/numbers")
    assert response.status_code == 415
    assert_error(response.json(), "UNSUPPORTED_MEDIA_TYPE", "numbers")


async def test_context_created_once_and_its_failure_hits_every_call(
    client: httpx.AsyncClient,
) -> None:
    before = probe.contexts
    await client.get("/ping,ping,ping", params=binp({}))
    assert probe.contexts == before + 1
    response = await client.get("/ping,ping", params=binp({}), headers={"x-context": "fail"})
    assert response.status_code == 403
    for envelope in response.json():
        assert_error(envelope, "FORBIDDEN", "ping", "context refused")


async def test_middleware_narrows_the_context(client: httpx.AsyncClient) -> None:
    response = await client.get("/whoami", headers={"x-user": "ann"})
    assert response.json() == {"result": {"data": {"user": "ann"}}}
    response = await client.get("/whoami")
    assert_error(response.json(), "UNAUTHORIZED", "whoami", "UNAUTHORIZED")


async def test_connection_params(client: httpx.AsyncClient) -> None:
    response = await client.get("/contextParams", params={"connectionParams": '{"user":"x"}'})
    assert response.json() == {"result": {"data": {"user": "x"}}}
    bad = await client.get("/ping", params={"connectionParams": "{"})
    assert bad.status_code == 400
    assert_error(bad.json(), "PARSE_ERROR", None, "Not JSON-parsable query params")
    shape = await client.get("/ping", params={"connectionParams": '{"a":1}'})
    assert_error(shape.json(), "PARSE_ERROR", None, "Invalid connection params shape")


async def test_batch_calls_run_concurrently(client: httpx.AsyncClient) -> None:
    started = time.monotonic()
    response = await client.get(
        "/slow,slow,slow", params=binp({str(i): {"ms": 300} for i in range(3)})
    )
    assert response.status_code == 200
    assert time.monotonic() - started < 0.8


async def test_error_formatter_hook(make_client: Any) -> None:
    def formatter(shape: dict[str, Any], error: Exception) -> dict[str, Any]:
        return {**shape, "data": {**shape["data"], "extra": type(error).__name__}}

    response = await make_client(error_formatter=formatter).get("/nope")
    assert response.json()["error"]["data"]["extra"] == "TRPCError"


async def test_gather_eagerly_runs_instant_calls_inline_and_waits_for_the_rest() -> None:
    import asyncio

    from tandem.trpc.concurrency import gather_eagerly

    order: list[str] = []

    async def instant(name: str) -> str:
        order.append(name)
        return name

    async def waits(name: str, delay: float) -> str:
        await asyncio.sleep(delay)
        order.append(name)
        return name

    results = await gather_eagerly(
        waits("slow", 0.05), instant("a"), waits("fast", 0.01), instant("b")
    )
    assert results == ["slow", "a", "fast", "b"]
    assert order == ["a", "b", "fast", "slow"]

    task = asyncio.ensure_future(gather_eagerly(waits("never", 10)))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_status_comes_from_the_error_even_if_the_formatter_drops_it(make_client: Any) -> None:
    def formatter(shape: dict[str, Any], error: Exception) -> dict[str, Any]:
        return {
            "message": shape["message"],
            "code": shape["code"],
            "data": {"code": shape["data"]["code"]},
        }

    client = make_client(error_formatter=formatter)
    response = await client.get("/touch")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    batch = await client.get("/whoami,ping", params=binp({}))
    assert batch.status_code == 207


async def test_a_failing_error_formatter_still_gets_a_trpc_shaped_500(make_client: Any) -> None:
    def formatter(shape: dict[str, Any], error: Exception) -> dict[str, Any]:
        raise ValueError("formatter bug")

    response = await make_client(error_formatter=formatter).get("/nope")
    assert response.status_code == 500
    assert_error(response.json(), "INTERNAL_SERVER_ERROR", None)


async def test_raw_utf8_in_the_query_string(client: httpx.AsyncClient) -> None:
    response = await client.get('/echo?input={"text":"wörld"}')
    assert response.json() == {"result": {"data": {"text": "wörld", "n": None}}}


@pytest.mark.parametrize(
    ("url_path", "shown"),
    [("/pi%ZZng", "pi%ZZng"), ("/ping%", "ping%"), ("/p%FFing", "p%FFing"), ("/a,b%G1", "a,b%G1")],
)
async def test_a_broken_percent_escape_in_the_path_is_a_bad_request(
    client: httpx.AsyncClient, url_path: str, shown: str
) -> None:
    response = await client.get(url_path, params={"batch": "1"} if "," in url_path else None)
    assert response.status_code == 400
    body = response.json()
    assert_error(body, "BAD_REQUEST", None, f'Invalid URL-encoding in path "{shown}"')


async def test_percent_escapes_in_the_path_are_decoded(client: httpx.AsyncClient) -> None:
    assert (await client.get("/nested%2Edeeper.pi%6Eg")).json() == {
        "result": {"data": {"pong": True}}
    }
    batch = await client.get("/ping%2Cping", params={"batch": "1"})
    assert [e["result"]["data"] for e in batch.json()] == [{"pong": True}, {"pong": True}]


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data; boundary=x", "application/octet-stream"]
)
async def test_body_only_content_types_on_a_get_are_405(
    client: httpx.AsyncClient, content_type: str
) -> None:
    response = await client.get("/ping", headers={"content-type": content_type})
    assert response.status_code == 405
    media_type = content_type.split(";")[0]
    assert_error(
        response.json(),
        "METHOD_NOT_SUPPORTED",
        None,
        f"Only POST requests are supported for {media_type} requests",
    )


async def test_a_path_separator_maps_urls_back_to_dotted_paths(make_client: Any) -> None:
    client = make_client(path_separator="~")
    assert (await client.get("/nested~deeper~ping")).json() == {"result": {"data": {"pong": True}}}
    assert (await client.get("/nested.deeper.ping")).json() == {"result": {"data": {"pong": True}}}
    missing = (await client.get("/nested~nope")).json()
    assert_error(missing, "NOT_FOUND", "nested.nope", 'No procedure found on path "nested.nope"')
    batch = await client.get("/ping,nested~deeper~ping", params={"batch": "1"})
    assert [e["result"]["data"] for e in batch.json()] == [{"pong": True}, {"pong": True}]


def test_a_path_separator_must_be_known_and_unambiguous() -> None:
    async def nothing(ctx: object) -> None:
        return None

    with pytest.raises(ValueError, match="path_separator"):
        TRPCApp(router(ping=procedure.query(nothing)), path_separator="/")
    clashing = router(get_all=procedure.query(nothing))
    with pytest.raises(ValueError, match='"get_all" contains the path separator'):
        TRPCApp(clashing, path_separator="_")
