# syntax=docker/dockerfile:1
# One image for every service; SERVICE=<name> (cases, referrals, employment, campaigns,
# cross-border) chooses which one runs. Build: `docker build -t haidang:<version> .`
# The base is pinned to an exact Node 20 release (>= 20.19: require() of the ESM NestJS 12
# packages); pin it by digest too in your registry mirror (`node:20.20.2-bookworm-slim@sha256:…`).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# Build: every dependency, then the TypeScript compiled to CommonJS under /out/dist.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY apps ./apps
COPY libs ./libs
COPY deploy/image/build.mjs ./deploy/image/build.mjs
RUN node deploy/image/build.mjs . /out/dist

# Production dependencies only, without install scripts.
FROM ${NODE_IMAGE} AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# Runtime: compiled code and production node_modules, owned by root and run by an unprivileged
# numeric user (Kubernetes can then check runAsNonRoot). No dev keys: .haidang/ never enters the
# build context (.dockerignore), and NODE_ENV=production makes a service refuse to start without
# its keys instead of making dev ones.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /out/dist ./
COPY package.json ./
USER 1000:1000
EXPOSE 3001 3002 3003 3004 3005 3006
# exec: node replaces the shell as PID 1 and receives SIGTERM itself.
CMD ["sh", "-c", "exec node \"apps/${SERVICE:?set SERVICE to the service to run, e.g. cases}/src/main.js\""]
