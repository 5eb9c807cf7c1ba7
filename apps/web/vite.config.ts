/// <reference types="vitest/config" />
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const apiTarget = `http://127.0.0.1:${process.env.API_PORT ?? '3001'}`
// A split deploy (the API on another origin, `VITE_API_URL`) must be allowed to call it.
const connectSrc = process.env.VITE_API_URL
  ? `'self' ${new URL(process.env.VITE_API_URL).origin}`
  : "'self'"
const gzipAsync = promisify(gzip)
const brotliAsync = promisify(brotliCompress)
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|xml|webmanifest)$/

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* filesUnder(path)
    else yield path
  }
}

/** Writes `.gz` and `.br` next to every text asset (when smaller), so the server sends them without compressing. */
function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'tandem:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/')
        ? config.build.outDir
        : join(config.root, config.build.outDir)
    },
    async closeBundle() {
      if (!(await stat(outDir).catch(() => null))) return
      for await (const path of filesUnder(outDir)) {
        if (!COMPRESSIBLE.test(path) || path.includes('/.vite/')) continue
        const body = await readFile(path)
        const variants: [string, Buffer][] = [
          ['.gz', await gzipAsync(body, { level: 9 })],
          ['.br', await brotliAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })],
        ]
        for (const [suffix, compressed] of variants) {
          if (compressed.length < body.length) await writeFile(path + suffix, compressed)
        }
      }
    },
  }
}

export default defineConfig({
  plugins: [react(), tailwindcss(), precompress()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { port: 5173, proxy: { '/api': apiTarget } },
  // Preview is production-like: the strictest CSP the SPA must live with (no inline scripts or styles).
  preview: {
    proxy: { '/api': apiTarget },
    headers: {
      'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src ${connectSrc}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`,
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
  },
})
