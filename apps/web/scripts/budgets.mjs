#!/usr/bin/env node
// Performance budgets: builds into a scratch directory (with a manifest), then prints the build time,
// the JavaScript a first visit to /sign-in downloads (gzip) and every route chunk. Exits 1 over budget.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, 'node_modules/.budgets/dist')
const SIGN_IN_BUDGET = 150 * 1024
const ROUTES = {
  '/sign-in': 'src/features/auth/sign-in-page.tsx',
  '/sign-up': 'src/features/auth/sign-up-page.tsx',
  '/forgot-password': 'src/features/auth/forgot-password-page.tsx',
  '/reset-password': 'src/features/auth/reset-password-page.tsx',
  '/verify-email': 'src/features/auth/verify-email-page.tsx',
  '/tasks': 'src/features/tasks/tasks-page.tsx',
  '/settings': 'src/features/settings/settings-page.tsx',
}

function timed(command, args) {
  const started = performance.now()
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed`)
    process.exit(1)
  }
  return performance.now() - started
}

const bin = (name) => join(root, 'node_modules/.bin', name)
const tscMs = timed(bin('tsc'), ['-b'])
const viteMs = timed(bin('vite'), ['build', '--manifest', '--outDir', outDir, '--emptyOutDir'])

const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8'))
const sizes = new Map()
function sizeOf(file) {
  if (!sizes.has(file)) {
    const body = readFileSync(join(outDir, file))
    sizes.set(file, { raw: body.length, gzip: gzipSync(body, { level: 9 }).length })
  }
  return sizes.get(file)
}

/** The chunk and everything it imports statically: what the browser must load before it runs. */
function staticClosure(keys, seen = new Set()) {
  for (const key of keys) {
    if (seen.has(key)) continue
    seen.add(key)
    staticClosure(manifest[key]?.imports ?? [], seen)
  }
  return seen
}

const total = (keys) =>
  [...keys]
    .map((key) => sizeOf(manifest[key].file))
    .reduce((sum, size) => ({ raw: sum.raw + size.raw, gzip: sum.gzip + size.gzip }), {
      raw: 0,
      gzip: 0,
    })

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`
const entry = Object.keys(manifest).find((key) => manifest[key].isEntry)
const shell = staticClosure([entry])
const css = (manifest[entry].css ?? []).map(sizeOf)

console.log(`typecheck (tsc -b)      ${(tscMs / 1000).toFixed(2)} s`)
console.log(`vite build              ${(viteMs / 1000).toFixed(2)} s`)
const shellSize = total(shell)
console.log(
  `app shell JS            ${kb(shellSize.raw)} raw, ${kb(shellSize.gzip)} gzip (${shell.size} chunks)`,
)
console.log(
  `CSS                     ${kb(css.reduce((s, c) => s + c.raw, 0))} raw, ${kb(css.reduce((s, c) => s + c.gzip, 0))} gzip`,
)
console.log('\nroute            initial JS (gzip)   route-only chunks')
let signIn = 0
for (const [path, key] of Object.entries(ROUTES)) {
  if (!manifest[key]) {
    console.error(`no chunk for ${path} (${key}): is the route still lazy?`)
    process.exit(1)
  }
  const initial = staticClosure([entry, key])
  const own = [...initial].filter((chunk) => !shell.has(chunk))
  const ownGzip = total(own).gzip
  const initialGzip = total(initial).gzip
  if (path === '/sign-in') signIn = initialGzip
  const files = own.map((chunk) => manifest[chunk].file.replace('assets/', '')).join(', ')
  console.log(
    `${path.padEnd(16)} ${kb(initialGzip).padStart(12)}  +${kb(ownGzip).padStart(9)}  ${files}`,
  )
}

rmSync(join(root, 'node_modules/.budgets'), { recursive: true, force: true })
const verdict = signIn <= SIGN_IN_BUDGET ? 'OK' : 'OVER BUDGET'
console.log(`\nsign-in initial JS: ${kb(signIn)} gzip, budget ${kb(SIGN_IN_BUDGET)}: ${verdict}`)
process.exit(signIn <= SIGN_IN_BUDGET ? 0 : 1)
