import { statSync } from 'node:fs';
import { HEARTBEAT_STALE_MS } from './heartbeat';

/**
 * The container health check of the relay and the projector
 * (`node dist/apps/shared/src/heartbeat-check.js`): exit 0 while the process's heartbeat file
 * (TALLY_HEARTBEAT_FILE) is fresh, 1 otherwise.
 */
const file = process.env.TALLY_HEARTBEAT_FILE;
const beat = file ? statSync(file, { throwIfNoEntry: false }) : undefined;
const age = beat === undefined ? Infinity : Date.now() - beat.mtimeMs;
if (age > HEARTBEAT_STALE_MS) {
  console.error(
    file
      ? `unhealthy: ${beat ? `last heartbeat ${Math.round(age / 1000)} s ago` : 'no heartbeat yet'} (${file})`
      : 'unhealthy: TALLY_HEARTBEAT_FILE is unset',
  );
  process.exit(1);
}
