# The worker and the gateway run from this one image (see temporal-docker-compose.yml for the commands).
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 falls back to a source build when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Prebuilt assets: the console UI and the workflow bundle, when the project has the scripts for them.
RUN if [ -f ui/build.ts ]; then npx tsx ui/build.ts; fi \
 && if [ -f scripts/build-workflow-bundle.ts ]; then npx tsx scripts/build-workflow-bundle.ts; fi \
 && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /var/lib/ticketflow && chown node:node /var/lib/ticketflow
USER node
EXPOSE 8080
CMD ["node", "--import", "tsx", "worker.ts"]
