# syntax=docker/dockerfile:1
# Production image for tandem: one container serves the API and the built SPA on $PORT (default 3001).
# Portable across Northflank, Railway, Render and Fly: no cache mounts (Railway and kaniko reject them).

# 1. The SPA, built with Node and pnpm (pinned; corepack's signature keys are outdated).
FROM node:22-bookworm-slim AS web
ENV CI=1
RUN npm install --global pnpm@12.21.0
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY apps/web/package.json apps/web/
COPY apps/api/package.json apps/api/
RUN pnpm install --frozen-lockfile --filter @repo/web...
COPY apps/web apps/web
# Empty: the SPA calls the API on its own origin.
ARG VITE_API_URL=""
RUN pnpm --filter @repo/web build

# 2. The API: dependencies first (a cached layer while uv.lock is unchanged), then the workspace itself.
FROM python:3.11-slim-bookworm AS api
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_NO_CACHE=1
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY packages/tandem/pyproject.toml packages/tandem/
COPY apps/api/pyproject.toml apps/api/
RUN uv sync --frozen --no-dev --no-install-workspace
COPY packages/tandem packages/tandem
COPY apps/api apps/api
# The workspace packages are installed editable, so UV_COMPILE_BYTECODE leaves their sources alone: compile them
# here too, or every container start compiles them again (a read-only image cannot keep the result).
RUN uv sync --frozen --no-dev \
 && .venv/bin/python -m compileall -q --invalidation-mode unchecked-hash packages/tandem/src apps/api/src

# 3. The runtime: the repository's layout (tandem finds its project from pyproject.toml), no Node, no uv.
FROM python:3.11-slim-bookworm AS runtime
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=api /app /app
COPY --from=web /app/apps/web/dist /app/apps/web/dist
ENV PATH="/app/.venv/bin:$PATH" PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    NODE_ENV=production NITRO_PORT=3001
USER 10001:10001
EXPOSE 3001
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/api/health' % (os.environ.get('PORT') or os.environ.get('NITRO_PORT') or '3001'), timeout=2)"]
# Applies pending migrations (under an advisory lock, so parallel instances are safe), then serves
# on 0.0.0.0:$PORT (NITRO_PORT, 3001 when unset).
CMD ["tandem", "start"]
