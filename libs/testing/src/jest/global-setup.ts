import { startSharedTestServers } from './test-servers';

// Jest loads a globalSetup module through its default export; this is the one default export in the
// lib, because Jest's contract requires it.
export default async function globalSetup(): Promise<void> {
  await startSharedTestServers();
}
