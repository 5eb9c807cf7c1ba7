// Compiled against an app-router.ts generated with transformer=True (superjson on the server).
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "./app-router";

const transformer = { serialize: (value: unknown): unknown => value, deserialize: (value: unknown): unknown => value };

export async function dates(): Promise<void> {
  const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc", transformer })] });
  // with a transformer, dates keep their type
  const at: Date = (await client.conformance.noInput.query()).at;
  void at;
  // @ts-expect-error the link must be given the transformer the server uses
  createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc" })] });
}
