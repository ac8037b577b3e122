import type { ProjectionPositions } from '../read-side/projection-positions';
import { ApiError, validationFailed } from './api-error';

const WAIT_MS = 5000;
export const POSITION = /^\d{1,19}$/;

/** Read-your-writes: waits (up to 5 s) until `projection` has processed `minPosition`. */
export async function awaitMinPosition(
  positions: ProjectionPositions,
  projection: string,
  minPosition: unknown,
): Promise<void> {
  if (minPosition === undefined) return;
  if (
    typeof minPosition !== 'string' ||
    !POSITION.test(minPosition) ||
    BigInt(minPosition) > 2n ** 63n - 1n
  ) {
    throw validationFailed([
      { field: 'minPosition', reason: 'must be a position: a decimal integer string' },
    ]);
  }
  const target = BigInt(minPosition);
  if (await positions.waitFor(projection, target, WAIT_MS)) return;
  throw new ApiError(
    'projection_behind',
    `projection ${projection} has not reached position ${minPosition} within 5 s`,
    {
      projection,
      position: positions.current(projection).toString(),
    },
  );
}
