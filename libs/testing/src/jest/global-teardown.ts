import { stopSharedTestServers } from './test-servers';

// Jest loads a globalTeardown module through its default export, hence this one default export.
export default async function globalTeardown(): Promise<void> {
  await stopSharedTestServers();
}
