"""Input validation behaves like zod 4 (conformance README §2, "Input validation")."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest


async def call(client: httpx.AsyncClient, path: str, value: Any) -> httpx.Response:
    return await client.get(f"/{path}", params={"input": json.dumps(value)})


def field_errors(response: httpx.Response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.text
    zod = response.json()["error"]["data"]["zodError"]
    assert zod["formErrors"] == []
    return zod["fieldErrors"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("value", "fields"),
    [
        ({"text": ""}, ["text"]),
        ({"text": "x" * 101}, ["text"]),
        ({"text": 5}, ["text"]),
        ({"text": "ok", "n": 1.5}, ["n"]),
        ({"text": "ok", "n": "5"}, ["n"]),
        ({"text": "ok", "n": None}, ["n"]),
        ({"text": "ok", "n": True}, ["n"]),
        ({"n": 1}, ["text"]),
        ({"text": "", "n": "x"}, ["n", "text"]),
    ],
)
async def test_field_errors(client: httpx.AsyncClient, value: Any, fields: list[str]) -> None:
    assert sorted(field_errors(await call(client, "echo", value))) == fields


@pytest.mark.parametrize("value", [None, [], "text", 3])
async def test_not_an_object_is_a_form_error(client: httpx.AsyncClient, value: Any) -> None:
    response = await call(client, "echo", value)
    assert response.status_code == 400
    zod = response.json()["error"]["data"]["zodError"]
    assert zod["fieldErrors"] == {} and len(zod["formErrors"]) == 1


async def test_message_is_a_pretty_zod_issue_list(client: httpx.AsyncClient) -> None:
    response = await call(client, "echo", {"text": ""})
    message = response.json()["error"]["message"]
    assert message.startswith("[\n  {\n")
    assert json.loads(message) == [
        {
            "origin": "string",
            "code": "too_small",
            "minimum": 1,
            "inclusive": True,
            "path": ["text"],
            "message": "Too small: expected string to have >=1 characters",
        }
    ]


async def test_lengths_count_code_points_and_bounds_are_inclusive(
    client: httpx.AsyncClient,
) -> None:
    assert (await call(client, "echo", {"text": "😀" * 100, "n": 0})).status_code == 200
    assert (await call(client, "echo", {"text": "😀" * 101})).status_code == 400


async def test_integral_floats_are_integers(client: httpx.AsyncClient) -> None:
    for raw in ('{"text":"a","n":1.0}', '{"text":"a","n":1e2}', '{"text":"a","n":-0.0}'):
        response = await client.get("/echo", params={"input": raw})
        assert response.status_code == 200, raw
        assert isinstance(response.json()["result"]["data"]["n"], int)
    assert (
        await client.get("/echo", params={"input": '{"text":"a","n":9007199254740991}'})
    ).status_code == 200


async def test_strict_types_without_coercion(client: httpx.AsyncClient) -> None:
    assert sorted(field_errors(await call(client, "types", {"flag": 1, "number": "5"}))) == [
        "flag",
        "number",
    ]
    ok = await call(
        client, "types", {"flag": False, "number": 5, "big": 2.0, "choice": "b", "tags": ["abc"]}
    )
    assert ok.json() == {
        "result": {"data": {"flag": False, "number": 5.0, "big": 2, "choice": "b", "tags": ["abc"]}}
    }


async def test_optional_is_not_nullable_but_nullable_is(client: httpx.AsyncClient) -> None:
    assert list(field_errors(await call(client, "types", {"choice": None}))) == ["choice"]
    assert (await call(client, "types", {"maybe": None})).json() == {
        "result": {"data": {"maybe": None}}
    }


async def test_nested_errors_go_under_the_first_segment(client: httpx.AsyncClient) -> None:
    errors = field_errors(
        await call(client, "types", {"tags": ["ok", "toolong", 1], "choice": "c"})
    )
    assert sorted(errors) == ["choice", "tags"]
    assert len(errors["tags"]) == 2


async def test_optional_input_parameter(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/numbers",
        params={"batch": "1", "input": "{}"},
        headers={"trpc-accept": "application/jsonl"},
    )
    assert response.status_code == 200
    bad = await client.get(
        "/numbers",
        params={"batch": "1", "input": '{"0":7}'},
        headers={"trpc-accept": "application/jsonl"},
    )
    assert b"BAD_REQUEST" in bad.content
