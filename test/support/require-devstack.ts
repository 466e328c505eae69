import { unreachableDevstackEndpoints } from '../../devstack/reachability';

/**
 * Integration tests need the real servers. A missing server is a failure with a message saying
 * what to do, never a silent skip. `npm test` starts the devstack itself; this guards direct
 * `jest` runs.
 */
export default async function requireDevstack(): Promise<void> {
  const missing = await unreachableDevstackEndpoints();
  if (missing.length > 0) {
    throw new Error(
      `The devstack is not running (nothing answers on ${missing.join(', ')}). ` +
        `Start it with "npm run devstack up", or run everything with "npm test".`,
    );
  }
}
