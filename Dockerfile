# syntax=docker/dockerfile:1
# Kassa Display as Next's standalone server: `docker build -t kassa-display .`
# The same server that `npm start` runs (scripts/start.mjs), started here directly as `node server.js`.

# --- deps: every dependency, dev ones included (the build needs TypeScript, Tailwind, PostCSS). ---
# Same Debian release as the runtime, so better-sqlite3's native addon links against the same glibc.
FROM node:20-bookworm-slim AS deps
# better-sqlite3 downloads a prebuilt addon when one matches; these compile it when none does.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- build: `next build` plus the copies the standalone server needs (.next/static, public/). ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# The script `npm start` uses, so the image and `npm start` get the same standalone directory.
RUN node scripts/ensure-build.mjs --force

# --- runtime: only the standalone output; no npm, no sources, no dev dependencies. ---
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 KASSA_DATA_DIR=/data
# server.js listens on HOSTNAME (what KASSA_BIND_ADDRESS sets under `npm start`). Docker would set
# it to the container's name, whose one address excludes 127.0.0.1, where the health check below
# and the embedded simulator's calls go.
ENV HOSTNAME=0.0.0.0
# Longer than the proxy's idle timeout, so the proxy, not the app, closes idle connections.
ENV KEEP_ALIVE_TIMEOUT=65000
# Owned by root and so read-only to the app; it writes only to /data and Next's cache.
COPY --from=build /app/.next/standalone ./
# The image's `node` user (uid 1000). A named volume mounted on /data starts out with the
# ownership given here; a bind mount must be writable by uid 1000.
RUN mkdir -p /data /app/.next/cache && chown node:node /data /app/.next/cache
VOLUME ["/data"]
USER node
EXPOSE 3000
# Node's own fetch: the slim image has neither curl nor wget.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The preload stamps every request with its connection's address before Next listens, as under `npm start`.
CMD ["node", "--require", "./peer-address-preload.cjs", "server.js"]
