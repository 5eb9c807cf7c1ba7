/**
 * A fake of the network under the real tRPC client: it speaks tRPC's HTTP wire format (batching,
 * `?input=` for queries, JSON bodies for mutations, the error envelope) and refuses requests the
 * real server would refuse (wrong method, missing `credentials: 'include'`).
 */

type ZodError = { formErrors: string[]; fieldErrors: Record<string, string[]> }
export type Reply =
  | { data: unknown }
  | { error: { status: number; code: string; message: string; zodError?: ZodError } }

type Handler = (input: unknown) => Reply | Promise<Reply>
interface Procedure {
  kind: 'query' | 'mutation'
  handle: Handler
}

export const query = (handle: Handler): Procedure => ({ kind: 'query', handle })
export const mutation = (handle: Handler): Procedure => ({ kind: 'mutation', handle })

const JSON_RPC_CODES: Record<string, number> = {
  BAD_REQUEST: -32600,
  UNAUTHORIZED: -32001,
  NOT_FOUND: -32004,
  METHOD_NOT_SUPPORTED: -32005,
  INTERNAL_SERVER_ERROR: -32603,
}

export function trpcError(status: number, code: string, message: string, zodError?: ZodError) {
  return { error: { status, code, message, ...(zodError ? { zodError } : {}) } }
}

interface Call {
  path: string
  input: unknown
}

export function fakeTrpcServer(procedures: Record<string, Procedure>) {
  const calls: Call[] = []

  async function answer(method: string, path: string, input: unknown): Promise<Reply> {
    const procedure = procedures[path]
    if (!procedure) return trpcError(404, 'NOT_FOUND', `No procedure found on path "${path}"`)
    const expected = procedure.kind === 'query' ? 'GET' : 'POST'
    if (method !== expected) {
      return trpcError(405, 'METHOD_NOT_SUPPORTED', `Unsupported ${method}-request to ${path}`)
    }
    calls.push({ path, input })
    return procedure.handle(input)
  }

  const fetch = async (url: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    if (init.credentials !== 'include') throw new Error('the tRPC client must send cookies')
    const target = new URL(String(url), 'http://localhost')
    if (!target.pathname.startsWith('/api/trpc/')) throw new Error(`unexpected URL ${target}`)
    const method = init.method ?? 'GET'
    const paths = decodeURIComponent(target.pathname.slice('/api/trpc/'.length)).split(',')
    const batched = target.searchParams.get('batch') === '1'
    const rawInput =
      method === 'POST' ? String(init.body ?? '') : (target.searchParams.get('input') ?? '')
    const parsed: unknown = rawInput ? JSON.parse(rawInput) : undefined
    const inputs = (batched ? (parsed ?? {}) : { 0: parsed }) as Record<string, unknown>

    const replies = await Promise.all(paths.map((path, i) => answer(method, path, inputs[i])))
    const envelopes = replies.map((reply, i) =>
      'data' in reply
        ? { result: { data: reply.data } }
        : {
            error: {
              message: reply.error.message,
              code: JSON_RPC_CODES[reply.error.code] ?? -32603,
              data: {
                code: reply.error.code,
                httpStatus: reply.error.status,
                path: paths[i],
                zodError: reply.error.zodError ?? null,
              },
            },
          },
    )
    const statuses = new Set(replies.map((reply) => ('data' in reply ? 200 : reply.error.status)))
    const status = statuses.size === 1 ? [...statuses][0] : 207
    return new Response(JSON.stringify(batched ? envelopes : envelopes[0]), {
      status,
      headers: { 'content-type': 'application/json' },
    })
  }

  return { fetch, calls }
}

/** A promise to settle from the test, to look at the UI while a request is still running. */
export function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((done) => {
    resolve = done
  })
  return { promise, resolve }
}
