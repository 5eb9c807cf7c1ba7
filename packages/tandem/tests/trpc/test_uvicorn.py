"""Over a real uvicorn on 127.0.0.1:18120: streaming timing and disconnects need real sockets."""

from __future__ import annotations

import asyncio
import json
import time
from asyncio.subprocess import PIPE
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from .conftest import make_app
from .sample import probe

PORT = 18120


@pytest.fixture(scope="module")
async def base_url() -> AsyncIterator[str]:
    config = uvicorn.Config(
        make_app(), host="127.0.0.1", port=PORT, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no started event
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{PORT}/api/trpc"
    server.should_exit = True
    await task


async def test_query_and_batch(base_url: str) -> None:
    async with httpx.AsyncClient(base_url=base_url) as client:
        assert (await client.get("/ping")).json() == {"result": {"data": {"pong": True}}}
        long_text = "y" * 90
        batch = {str(i): {"text": long_text} for i in range(60)}  # a long URL (~10 KB)
        response = await client.get(
            "/" + ",".join(["echo"] * 60), params={"batch": "1", "input": json.dumps(batch)}
        )
        assert response.status_code == 200
        assert len(response.json()) == 60


async def test_jsonl_delivers_fast_calls_before_slow_ones(base_url: str) -> None:
    async with httpx.AsyncClient(base_url=base_url) as client:
        started = time.monotonic()
        seen: list[tuple[float, str]] = []
        async with client.stream(
            "GET",
            "/slow,echo",
            params={"batch": "1", "input": '{"0":{"ms":600},"1":{"text":"quick"}}'},
            headers={"trpc-accept": "application/jsonl"},
        ) as response:
            assert response.status_code == 200
            async for line in response.aiter_lines():
                seen.append((time.monotonic() - started, line))
    _head, quick, slow = seen
    assert '"quick"' in quick[1] and '"ms":600' in slow[1]
    assert quick[0] < 0.4 <= 0.6 <= slow[0] + 0.05


async def test_sse_client_disconnect_stops_the_subscription(base_url: str) -> None:
    probe.closed.clear()
    async with (
        httpx.AsyncClient(base_url=base_url) as client,
        client.stream(
            "GET", "/ticker", params={"input": '{"count":20,"intervalMs":200}'}
        ) as response,
    ):
        assert response.headers["content-type"] == "text/event-stream"
        async for line in response.aiter_lines():
            if line.startswith("id: 1"):
                break
    for _ in range(100):
        if probe.closed:
            break
        await asyncio.sleep(0.02)
    assert probe.closed == ["ticker"]


KIT_MODULES = Path(__file__).resolve().parents[4].parent / "shared" / "conformance" / "node_modules"
UPLOADING_CLIENT = """
import { createTRPCClient, httpLink } from "@trpc/client";
const client = createTRPCClient({ links: [httpLink({ url: process.argv[2] })] });
const form = new FormData();
form.append("title", "héllo");
form.append("file", new File(["hello file"], "notes.txt", { type: "text/plain" }));
const received = await client.upload.mutate(form);
const bytes = await client.ingest.mutate(new Uint8Array([104, 105, 33]));
const blob = await client.ingest.mutate(new Blob(["a blob of text"]));
console.log(JSON.stringify({ received, bytes, blob }));
"""


async def test_the_real_client_sends_form_data_files_and_bytes(
    base_url: str, tmp_path: Path
) -> None:
    (tmp_path / "node_modules").symlink_to(KIT_MODULES)
    (tmp_path / "upload.mjs").write_text(UPLOADING_CLIENT)
    node = await asyncio.create_subprocess_exec(
        "node", "upload.mjs", base_url, cwd=tmp_path, stdout=PIPE, stderr=PIPE
    )
    stdout, stderr = await asyncio.wait_for(node.communicate(), timeout=60)
    assert node.returncode == 0, stderr.decode()
    assert json.loads(stdout) == {
        "received": {
            "fields": {"title": "héllo"},
            "files": {"file": "notes.txt:text/plain:10"},
        },
        "bytes": {"size": 3, "chunks": 1, "head": "hi!"},
        "blob": {"size": 14, "chunks": 1, "head": "a blob o"},
    }
