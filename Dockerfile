# syntax=docker/dockerfile:1

# ---------------------------------------------------------------------------
# Stage 1: build — install all dependencies and compile TypeScript to dist/
#   dist/src/main.js        the application entry point
#   dist/migrations/*.js    TypeORM migrations (loaded from dist/migrations at runtime)
# ---------------------------------------------------------------------------
FROM node:20-bookworm-slim AS build

WORKDIR /app

# Opt out of install-time telemetry of transitive dependencies (e.g. @scarf/scarf).
ENV SCARF_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

COPY package.json package-lock.json ./
RUN npm ci

COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

# ---------------------------------------------------------------------------
# Stage 2: runtime — production dependencies and compiled output only
# ---------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime

ENV NODE_ENV=production \
    PORT=3000 \
    SCARF_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

WORKDIR /app

# /app/.data is the only writable directory: the embedded PostgreSQL fallback keeps its
# data there when DATABASE_URL is unset (trials only). Application code stays root-owned.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev \
    && npm cache clean --force \
    && mkdir -p /app/.data \
    && chown node:node /app/.data

COPY --from=build /app/dist ./dist

USER node

EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "dist/src/main.js"]
