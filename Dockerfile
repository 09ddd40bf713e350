# RLHF Pipeline Monitor: one Dockerfile, three images.
#   target `service` (default, last stage): the RLHF metrics service (Node 20, non-root, /data volume)
#   target `grafana`: Grafana with the plugin built from this checkout, plus provisioning and dashboards
# `docker compose up --build` builds both from a fresh clone; no local `npm install` or build is needed.
# Everything comes from the npm registry, Debian's apt repositories and Docker Hub images.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG GRAFANA_IMAGE=grafana/grafana:12.4.10

# --- 1. all dependencies (dev included: webpack builds the plugin) ---------------------------------
FROM ${NODE_IMAGE} AS deps
# better-sqlite3 is compiled here instead of downloading a prebuilt binary from GitHub: node-gyp needs a
# toolchain, and npm_config_nodedir points it at the image's own Node headers (no download from nodejs.org).
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV npm_config_nodedir=/usr/local \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
# npm workspaces: the root (the Grafana plugin), packages/contract and server each have a package.json.
COPY package.json package-lock.json ./
COPY packages/contract/package.json packages/contract/
COPY server/package.json server/
RUN npm ci --ignore-scripts \
  && npm rebuild better-sqlite3 --build-from-source \
  && node -e "new (require('better-sqlite3'))(':memory:').close()"

# --- 2. the plugin bundle (dist/) -----------------------------------------------------------------
FROM deps AS build
COPY . .
RUN npm run build && test -f dist/module.js && test -f dist/datasource/module.js

# --- 3. the service's own production dependencies only (no Grafana packages, no build tooling) ----
FROM deps AS prod-deps
RUN rm -rf node_modules \
  && npm ci --omit=dev --ignore-scripts --workspace @rlhf-monitor/server --include-workspace-root=false \
  && npm rebuild better-sqlite3 --build-from-source \
  && node -e "new (require('better-sqlite3'))(':memory:').close()" \
  && test ! -e node_modules/@grafana

# --- 4. Grafana with our plugin -------------------------------------------------------------------
FROM ${GRAFANA_IMAGE} AS grafana
# Plugins live outside /var/lib/grafana so a persisted Grafana volume never hides a freshly built plugin.
ENV GF_PATHS_PLUGINS=/var/lib/grafana-plugins \
    GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=humain-rlhfmonitor-app,humain-rlhf-datasource,humain-calibration-panel,humain-drift-panel,humain-pipeline-panel \
    GF_USERS_DEFAULT_THEME=light \
    GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH=/etc/grafana/dashboards/rlhf/overview.json
# Working defaults so the image also starts alone. Grafana's webhook receiver needs a URL, and an invalid contact
# point stops Grafana at start (alerting provisioning errors are fatal): the default is a local port where nothing
# listens, so alerts are only logged as undeliverable. The key is the compose stack's local demo key; set both.
ENV ALERT_WEBHOOK_URL=http://127.0.0.1:9/rlhf-alerts-not-configured \
    RLHF_API_KEY=rlhf-local-demo-key
COPY --from=build /app/dist /var/lib/grafana-plugins/humain-rlhfmonitor-app
# Baked-in copies so the image also works alone; docker-compose.yml mounts the live folders over them.
COPY provisioning/datasources /etc/grafana/provisioning/datasources
COPY provisioning/plugins /etc/grafana/provisioning/plugins
COPY provisioning/dashboards /etc/grafana/provisioning/dashboards
COPY provisioning/alerting /etc/grafana/provisioning/alerting
COPY dashboards/*.json /etc/grafana/dashboards/rlhf/

# --- 5. the RLHF metrics service (default target) -------------------------------------------------
FROM ${NODE_IMAGE} AS service
ENV NODE_ENV=production \
    RLHF_HOST=0.0.0.0 \
    RLHF_PORT=8400 \
    RLHF_DB=/data/rlhf.db \
    RLHF_DEMO=1
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY packages/contract ./packages/contract
COPY server ./server
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8400
# /api/v1/health never needs the API key.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.RLHF_PORT||8400)+'/api/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 and receives SIGTERM itself; the service finishes in-flight requests and closes the store.
CMD ["node", "--import", "tsx", "server/src/main.ts"]
