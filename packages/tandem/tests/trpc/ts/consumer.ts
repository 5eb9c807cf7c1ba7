// Compiled against a freshly generated app-router.ts by tests/trpc/test_codegen_tsc.py.
// Every `@ts-expect-error` must stay an error, or tsc fails.
import { createTRPCClient, httpBatchLink, httpBatchStreamLink, TRPCClientError } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./app-router";

const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc" })] });
const streaming = createTRPCClient<AppRouter>({ links: [httpBatchStreamLink({ url: "/api/trpc" })] });

type Inputs = inferRouterInputs<AppRouter>;
type Outputs = inferRouterOutputs<AppRouter>;

export async function positive(): Promise<void> {
  const pong: { pong: true } = await client.health.ping.query();
  const echoed: { text: string; n: number | null } = await client.conformance.echo.query({ text: "x" });
  const mutated: { text: string; n: number | null } = await client.conformance.echoMutation.mutate({ text: "x", n: 1 });
  const at: string = (await client.conformance.noInput.query()).at;
  const me: { userId: string; email: string } = await client.conformance.whoami.query();
  const slow: number = (await client.conformance.slow.query({ ms: 1 })).ms;
  const input: Inputs["conformance"]["echo"] = { text: "a" };
  const output: Outputs["conformance"]["echo"] = { text: "a", n: null };
  for await (const item of await streaming.conformance.iterate.query()) {
    const i: number = item.i;
    void i;
  }
  await streaming.conformance.iterate.query({ failAt: 2 });
  client.conformance.ticker.subscribe(
    { count: 2, intervalMs: 0, lastEventId: null },
    {
      onData(event) {
        const id: string = event.id;
        const i: number = event.data.i;
        void [id, i];
      },
    },
  );
  try {
    await client.conformance.fail.query({ code: "CONFLICT", message: "m" });
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const typed = error as TRPCClientError<AppRouter>;
      const fields: string[] | undefined = typed.data?.zodError?.fieldErrors["text"];
      const code: string | undefined = typed.data?.code;
      void [fields, code];
    }
  }
  void [pong, echoed, mutated, at, me, slow, input, output];
}

export async function negative(): Promise<void> {
  // @ts-expect-error text must be a string
  await client.conformance.echo.query({ text: 1 });
  // @ts-expect-error the input is required
  await client.conformance.echo.query();
  // @ts-expect-error n may be absent but not null
  await client.conformance.echo.query({ text: "x", n: null });
  // @ts-expect-error unknown procedure
  await client.conformance.nope.query();
  // @ts-expect-error a query cannot be mutated
  await client.conformance.echo.mutate({ text: "x" });
  // @ts-expect-error a mutation cannot be queried
  await client.conformance.echoMutation.query({ text: "x" });
  // @ts-expect-error the error code is one of tRPC's keys
  await client.conformance.fail.query({ code: "TEAPOT", message: "m" });
  const echoed = await client.conformance.echo.query({ text: "x" });
  // @ts-expect-error no such output field
  void echoed.txt;
  // @ts-expect-error dates arrive as strings without a transformer
  const when: Date = (await client.conformance.noInput.query()).at;
  void when;
}
