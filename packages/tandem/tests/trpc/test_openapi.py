"""The OpenAPI 3.1 document of a router."""

from __future__ import annotations

import json
from typing import Any, TypedDict

from tandem.trpc import procedure, router
from tandem.trpc.openapi import build_openapi

from .sample import sample_router


def refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(refs(v) for v in node))
    return set()


def test_document_shape_and_references() -> None:
    doc = build_openapi(sample_router, title="Sample", version="1.2.3")
    assert doc["openapi"] == "3.1.0"
    assert doc["info"] == {"title": "Sample", "version": "1.2.3"}
    schemas = doc["components"]["schemas"]
    for ref in refs(doc):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas, ref
    echo = doc["paths"]["/api/trpc/echo"]["get"]
    assert echo["parameters"][0]["name"] == "input"
    assert echo["parameters"][0]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/EchoInput"
    }
    assert schemas["EchoInput"]["properties"]["text"]["maxLength"] == 100
    assert schemas["EchoInput"]["required"] == ["text"]
    mutation = doc["paths"]["/api/trpc/echoMutation"]["post"]
    assert mutation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/EchoInput"
    }
    assert "parameters" not in doc["paths"]["/api/trpc/ping"]["get"]
    assert doc["paths"]["/api/trpc/ping"]["get"]["summary"] == "Answers pong."
    assert (
        "text/event-stream"
        in doc["paths"]["/api/trpc/ticker"]["get"]["responses"]["200"]["content"]
    )
    assert "/api/trpc/nested.deeper.ping" in doc["paths"]
    json.dumps(doc)  # plain JSON all the way


class Item(TypedDict):
    name: str


class Page(TypedDict, total=False):
    items: list[Item]


@procedure.query
async def page(ctx: object) -> Page:
    return {"items": []}


def test_typing_typeddicts_are_described() -> None:
    schemas = build_openapi(router(page=page), title="t", version="1")["components"]["schemas"]
    assert schemas["Page"]["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Item"}
    assert "required" not in schemas["Page"]
    assert schemas["Item"]["required"] == ["name"]


def test_body_inputs_are_described_by_their_media_type() -> None:
    paths = build_openapi(sample_router, title="Sample", version="1")["paths"]
    form = paths["/api/trpc/upload"]["post"]["requestBody"]["content"]
    octets = paths["/api/trpc/ingest"]["post"]["requestBody"]["content"]
    assert form == {"multipart/form-data": {"schema": {"type": "object"}}}
    assert octets == {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
    }
