# syntax=docker/dockerfile:1
#
# The analytics gateway: api/src/main.ts (the entry point that `npx tsx api/src/main.ts` and the tests run),
# compiled by tsc to api/dist/main.js, on production dependencies only, as the unprivileged `node` user.
# Build context: the repository root (see .dockerignore).

# --- build: compile api/src with the repository's own TypeScript (dev dependencies stay in this stage) ---
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
COPY api/package.json api/
COPY contracts/package.json contracts/
COPY stack/package.json stack/
COPY subgraph/package.json subgraph/
RUN npm ci --ignore-scripts --no-audit --no-fund -w api --include-workspace-root
COPY docker/tsconfig.gateway.json docker/
COPY api/src api/src
RUN npx tsc -p docker/tsconfig.gateway.json && test -f api/dist/main.js

# --- deps: the gateway's production dependencies only (no tsx, TypeScript, vitest, graph-cli, solc) ---
FROM node:20.20.2-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY contracts/package.json contracts/
COPY stack/package.json stack/
COPY subgraph/package.json subgraph/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w api \
 && rm -rf node_modules/@ai-tokenomics \
 && npm cache clean --force

# --- runtime ---
FROM node:20.20.2-alpine AS runtime
# NODE_ENV is left unset, as under `npm start`: the gateway's settings are explicit (introspection on, no
# stack traces in errors), and Apollo would only swap its landing page.
ENV HOST=0.0.0.0 \
    PORT=4000 \
    GATEWAY_UPSTREAMS='[{"name":"local","network":"local","url":"http://graph-node:8000/subgraphs/name/ai-tokenomics","statusUrl":"http://graph-node:8030/graphql"}]'
WORKDIR /app
# Files stay owned by root (read-only for the process); only what runs is copied: no sources, no secrets.
COPY --from=deps /app/node_modules ./node_modules
COPY api/package.json ./api/package.json
COPY --from=build /src/api/dist ./api/dist
# the dashboard's own static files (tsc compiles only the route; api/src/dashboard/route.ts serves these)
COPY api/src/dashboard/static ./api/dist/dashboard/static
USER node
EXPOSE 4000
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "api/dist/main.js"]
