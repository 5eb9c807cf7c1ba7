"""Form data and byte-stream inputs (what httpLink sends for a FormData, File, Blob or Uint8Array)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .test_wire import assert_error

FORM = {"title": "héllo", "tag": "a"}
FILES = {"file": ("notes.txt", b"hello file", "text/plain")}


async def test_form_data_reaches_the_procedure(client: httpx.AsyncClient) -> None:
    response = await client.post("/upload", data=FORM, files=FILES)
    assert response.status_code == 200
    assert response.json() == {
        "result": {
            "data": {
                "fields": {"title": "héllo", "tag": "a"},
                "files": {"file": "notes.txt:text/plain:10"},
            }
        }
    }


async def test_bytes_reach_the_procedure_as_they_arrive(client: httpx.AsyncClient) -> None:
    async def body() -> Any:
        for part in (b"first ", b"second ", b"third"):
            yield part

    response = await client.post(
        "/ingest", content=body(), headers={"content-type": "application/octet-stream"}
    )
    assert response.json() == {"result": {"data": {"size": 18, "chunks": 3, "head": "first "}}}


async def test_json_sent_to_a_form_procedure_is_a_bad_request(client: httpx.AsyncClient) -> None:
    response = await client.post("/upload", json={"title": "x"})
    assert response.status_code == 400
    body = response.json()
    assert_error(body, "BAD_REQUEST", "upload")
    assert body["error"]["data"]["zodError"] == {
        "formErrors": ["Input not instance of FormData"],
        "fieldErrors": {},
    }


async def test_form_data_sent_to_a_json_procedure_is_a_bad_request(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/echoMutation", data=FORM, files=FILES)
    assert response.status_code == 400
    assert_error(response.json(), "BAD_REQUEST", "echoMutation")
    assert "received FormData" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "code", "status"), [("/nope", "NOT_FOUND", 404), ("/upload,upload", "NOT_FOUND", 404)]
)
async def test_body_inputs_are_never_batched(
    client: httpx.AsyncClient, path: str, code: str, status: int
) -> None:
    response = await client.post(path, params={"batch": "1"}, data=FORM, files=FILES)
    assert response.status_code == status
    assert_error(response.json(), code, path.strip("/"))


async def test_a_body_over_the_upload_limit_is_413(make_client: Any) -> None:
    client = make_client(max_upload_size=1000)
    big = {"file": ("big.bin", b"x" * 5000, "application/octet-stream")}
    response = await client.post("/upload", files=big)
    assert response.status_code == 413
    assert_error(response.json(), "PAYLOAD_TOO_LARGE", "upload")
    octets = await client.post(
        "/ingest", content=b"y" * 5000, headers={"content-type": "application/octet-stream"}
    )
    assert octets.status_code == 413
    small = await client.post("/upload", files={"file": ("s.bin", b"z" * 10, "text/plain")})
    assert small.status_code == 200


async def test_a_broken_multipart_body_is_a_bad_request(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/upload",
        content=b"--x\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--x--\r\n",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert response.status_code == 400
    assert_error(response.json(), "BAD_REQUEST", "upload")
