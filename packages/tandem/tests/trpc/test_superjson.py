"""The superjson codec against the wire forms superjson 2.2.6 produces (trpc-protocol.md §4.3)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import httpx
from tandem.trpc import superjson
from tandem.trpc.validation import UNDEFINED


def test_serialize_matches_superjson() -> None:
    value = {"d": dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC), "s": {"x"}, "u": UNDEFINED}
    assert superjson.serialize(value) == {
        "json": {"d": "2024-05-06T07:08:09.000Z", "s": ["x"], "u": None},
        "meta": {"values": {"d": ["Date"], "s": ["set"], "u": ["undefined"]}, "v": 1},
    }
    assert superjson.serialize({"ok": True, "version": "1.0.0"}) == {
        "json": {"ok": True, "version": "1.0.0"}
    }
    assert superjson.serialize(UNDEFINED) == {
        "json": None,
        "meta": {"values": ["undefined"], "v": 1},
    }
    assert superjson.serialize(dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) == {
        "json": "1970-01-01T00:00:00.000Z",
        "meta": {"values": ["Date"], "v": 1},
    }
    assert superjson.serialize({"a.b": [float("nan")]}) == {
        "json": {"a.b": ["NaN"]},
        "meta": {"values": {"a\\.b.0": ["number"]}, "v": 1},
    }


def test_deserialize_inputs() -> None:
    wire = {
        "json": {
            "d": "1970-01-01T00:00:00.000Z",
            "s": [1],
            "b": "3",
            "u": None,
            "x.y": {"k": None},
        },
        "meta": {
            "values": {
                "d": ["Date"],
                "s": ["set"],
                "b": ["bigint"],
                "u": ["undefined"],
                "x\\.y.k": ["undefined"],
            },
            "v": 1,
        },
    }
    assert superjson.deserialize(wire) == {
        "d": "1970-01-01T00:00:00.000Z",
        "s": [1],
        "b": 3,
        "x.y": {},
    }
    assert (
        superjson.deserialize({"json": None, "meta": {"values": ["undefined"], "v": 1}})
        is UNDEFINED
    )
    assert superjson.deserialize({"limit": 1}) is UNDEFINED  # plain input to a superjson server


async def test_superjson_server(make_client: Any) -> None:
    client: httpx.AsyncClient = make_client(superjson=True)
    response = await client.get("/when")
    assert response.json()["result"]["data"] == {
        "json": {
            "at": "2020-01-02T03:04:05.678Z",
            "naive": "2021-01-01T00:00:00.000Z",
            "day": "2022-02-03",
            "tags": ["x"],
        },
        "meta": {"values": {"at": ["Date"], "naive": ["Date"], "tags": ["set"]}, "v": 1},
    }
    echo = await client.get(
        "/echo",
        params={
            "input": json.dumps(
                {
                    "json": {"text": "hi", "n": None},
                    "meta": {"values": {"n": ["undefined"]}, "v": 1},
                }
            )
        },
    )
    assert echo.json() == {"result": {"data": {"json": {"text": "hi", "n": None}}}}
    error = await client.get("/echo", params={"input": '{"text":"plain"}'})
    assert error.status_code == 400
    assert error.json()["error"]["json"]["data"]["zodError"]["formErrors"]
    batch = await client.get(
        "/ping,echo",
        params={"batch": "1", "input": '{"1":{"json":{"text":"b"}}}'},
        headers={"trpc-accept": "application/jsonl"},
    )
    lines = [json.loads(line) for line in batch.text.splitlines()]
    assert all("json" in line for line in lines)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.sampled_from(["Date", "set", "undefined", "bigint", "map", "0", "a.b"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["json", "meta", "values", "v", "a", "0", "a\\.b"]), inner, max_size=4
        )
    ),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(payload=json_values)
def test_deserialize_never_crashes(payload: Any) -> None:
    superjson.deserialize(payload)


@settings(max_examples=200, deadline=None)
@given(json_value=json_values, values=json_values)
def test_deserialize_with_any_meta_never_crashes(json_value: Any, values: Any) -> None:
    superjson.deserialize({"json": json_value, "meta": {"values": values, "v": 1}})
