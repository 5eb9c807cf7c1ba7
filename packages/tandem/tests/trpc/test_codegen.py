"""TypeScript codegen: the rendered AppRouter, and tsc compiling a consumer against it."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field
from tandem.trpc import Input, Len, Omittable, procedure, router
from tandem.trpc.codegen import render_typescript
from tandem_api.routers.conformance import conformance_router
from tandem_api.routers.health import health_router

from .sample import sample_router

HERE = Path(__file__).parent
REPO = HERE.parents[3]
KIT_MODULES = REPO.parent / "shared" / "conformance" / "node_modules"


def app_router_ts() -> str:
    return render_typescript(router(health=health_router, conformance=conformance_router))


def test_output_is_deterministic() -> None:
    assert app_router_ts() == app_router_ts()
    assert render_typescript(sample_router) == render_typescript(sample_router)


def test_shape_of_the_rendered_router() -> None:
    ts = app_router_ts()
    assert 'from "@trpc/server";' in ts and ts.count("import type {") == 1
    assert "export type AppRouter = TRPCBuiltRouter<" in ts
    assert "{ ctx: object; meta: object; errorShape: ErrorShape; transformer: false }" in ts
    assert "ping: TRPCQueryProcedure<{ input: void; output: Pong; meta: object }>;" in ts
    assert "export interface EchoInput {\n  text: string;\n  n?: number;\n}" in ts
    assert "export interface Echo {\n  text: string;\n  n: number | null;\n}" in ts
    assert "output: AsyncIterable<{ id: string; data: Tick }>" in ts
    assert "lastEventId?: string | null;" in ts
    assert "output: AsyncIterable<Tick>" in ts
    assert "      /** Answers `{pong: true}`. */\n      ping:" in ts
    assert "export const __appRouterIsNotAny" in ts


class Thing(BaseModel):
    """A thing.

    With two paragraphs."""

    at: dt.datetime
    tags: set[str]
    label: str = Field(default="x", alias="labelText", description="Shown to people.")


class ThingInput(Input):
    name: Annotated[str, Len(1, 5)]
    note: Omittable[str] = None
    parent: str | None = None


class Thing2(Input):
    at: dt.datetime


@procedure.mutation
async def make(ctx: object, input: ThingInput) -> Thing:
    raise NotImplementedError


@procedure.query
async def same(ctx: object, input: Thing2) -> Thing2:
    return input


def test_modes_aliases_docs_and_transformer() -> None:
    things = router(make=make, same=same, **{"odd-name": make})
    plain = render_typescript(things)
    assert "/**\n * A thing.\n *\n * With two paragraphs.\n */\nexport interface Thing {" in plain
    assert "  /** Shown to people. */\n  labelText: string;" in plain
    assert "  at: string;\n  tags: string[];" in plain
    assert "  name: string;\n  note?: string;\n  parent?: string | null;" in plain
    assert "same: TRPCQueryProcedure<{ input: Thing2; output: Thing2; meta: object }>" in plain
    assert '"odd-name": TRPCMutationProcedure' in plain
    with_superjson = render_typescript(things, transformer=True)
    assert "  at: Date;\n  tags: Set<string>;" in with_superjson
    assert "transformer: true" in with_superjson


def compile_against(
    ts: str, tmp_path: Path, consumer: str = "consumer.ts"
) -> subprocess.CompletedProcess[str]:
    for name in ("tsconfig.json", consumer):
        shutil.copy(HERE / "ts" / name, tmp_path / name)
    (tmp_path / "app-router.ts").write_text(ts)
    (tmp_path / "node_modules").symlink_to(KIT_MODULES)
    return subprocess.run(
        [str(KIT_MODULES / ".bin" / "tsc"), "-p", "tsconfig.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_tsc_accepts_the_generated_router(tmp_path: Path) -> None:
    result = compile_against(app_router_ts(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_tsc_rejects_a_router_that_lost_a_rule(tmp_path: Path) -> None:
    # If `n` became nullable, the consumer's @ts-expect-error for `n: null` would be unused.
    broken = app_router_ts().replace("  n?: number;", "  n?: number | null;")
    result = compile_against(broken, tmp_path)
    assert result.returncode != 0
    assert "Unused '@ts-expect-error' directive" in result.stdout


def test_tsc_with_the_transformer_flag(tmp_path: Path) -> None:
    ts = render_typescript(
        router(health=health_router, conformance=conformance_router), transformer=True
    )
    result = compile_against(ts, tmp_path, "transformer-consumer.ts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_tsc_refuses_the_transformer_consumer_on_a_plain_router(tmp_path: Path) -> None:
    result = compile_against(app_router_ts(), tmp_path, "transformer-consumer.ts")
    assert result.returncode != 0
    assert "Unused '@ts-expect-error' directive" in result.stdout


def test_body_inputs_render_as_what_httplink_sends() -> None:
    ts = render_typescript(sample_router)
    assert "upload: TRPCMutationProcedure<{ input: FormData; output: Received;" in ts
    assert "ingest: TRPCMutationProcedure<{ input: Blob | Uint8Array | File; output: Digest;" in ts
