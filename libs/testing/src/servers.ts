import { startNatsServer } from './nats-server';
import { startPostgresServer } from './postgres-server';

// Servers started on demand when neither an env URL nor the Jest global setup provided one. Module
// state, so under Jest (which gives each test file fresh modules) that is one per test file: it works,
// but slowly; the global setup (see jest/global-setup.ts) shares one per run instead. The reaper of
// each server stops it when this process exits.
let fallbackPostgres: Promise<string> | undefined;
let fallbackNats: Promise<string> | undefined;

/**
 * The server tests create databases on: `explicit`, else `DATABASE_URL` (its database is only the
 * admin database to run CREATE DATABASE from), else a PostgreSQL started here.
 */
export async function resolveTestPostgresUrl(explicit?: string): Promise<string> {
  if (explicit) return explicit;
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) return fromEnv;
  fallbackPostgres ??= startPostgresServer().then((server) => server.url);
  try {
    return await fallbackPostgres;
  } catch (error) {
    fallbackPostgres = undefined;
    throw error;
  }
}

/** `explicit`, else `NATS_URL`, else a nats-server (with JetStream) started here. */
export async function resolveTestNatsUrl(explicit?: string): Promise<string> {
  if (explicit) return explicit;
  const fromEnv = process.env.NATS_URL;
  if (fromEnv) return fromEnv;
  fallbackNats ??= startNatsServer().then((server) => server.url);
  try {
    return await fallbackNats;
  } catch (error) {
    fallbackNats = undefined;
    throw error;
  }
}
