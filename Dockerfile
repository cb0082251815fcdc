# syntax=docker/dockerfile:1
# dialsync as a container: `docker build -t dialsync .` then see the README (Container).
# Node 26 is the Active LTS line (Node 24 went to maintenance in October 2026); dialsync needs Node >= 20.19.
ARG NODE_VERSION=26

# ---- build: compile TypeScript and sqlite3's native binding, then drop the dev dependencies ----
FROM node:${NODE_VERSION}-slim AS build
# sqlite3 builds its binding with node-gyp when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off: `prepare` would build before the sources are here; sqlite3's own install runs just after.
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && npm rebuild sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies, the compiled code and the migrations, nothing else ----
FROM node:${NODE_VERSION}-slim
ENV NODE_ENV=production \
    DIALSYNC_DATABASE=/data/dialsync.sqlite \
    DIALSYNC_HEALTHCHECK_URL=http://127.0.0.1:8080/healthz
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY config ./config
# The image's own `node` user (uid 1000), by number so Kubernetes' runAsNonRoot can check it; it owns /data only.
RUN mkdir -p /data && chown 1000:1000 /data
USER 1000:1000
VOLUME ["/data"]
EXPOSE 8080
# The slim image has no curl: Node's fetch asks /healthz (set DIALSYNC_HEALTHCHECK_URL when daemon.port differs).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.DIALSYNC_HEALTHCHECK_URL, { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The daemon finishes the write in flight, journals it and exits 0 within 10 s of SIGTERM.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["daemon"]
