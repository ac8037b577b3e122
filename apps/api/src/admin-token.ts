import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@tally/infra';

export const ADMIN_TOKEN_FILE = 'admin-token';

const OWNER_ONLY = 0o600;

/** Reads the stored token, making the file owner-only if it had been opened up. */
async function stored(path: string): Promise<string | undefined> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  const token = text?.trim();
  if (!token) return undefined;
  if (((await stat(path)).mode & 0o777) !== OWNER_ONLY) await chmod(path, OWNER_ONLY);
  return token;
}

/**
 * The admin token when TALLY_ADMIN_TOKEN is unset: generated on the first start and kept in
 * `<dataDir>/admin-token` (mode 0600), so it survives restarts and is shared by the API
 * processes on one data directory. Logged: where it is, never what it is.
 */
export async function persistedAdminToken(dataDir: string, logger: Logger): Promise<string> {
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  const existing = await stored(path);
  if (existing !== undefined) {
    logger.warn(
      { adminTokenFile: path },
      `TALLY_ADMIN_TOKEN is unset: using the admin token stored in ${path}`,
    );
    return existing;
  }
  await mkdir(dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  // Written whole under a private name, then linked into place: a reader never sees half a
  // token, and of two processes starting at once one wins and the other reads its token.
  const draft = `${path}.${process.pid}.tmp`;
  const file = await open(draft, 'w', OWNER_ONLY);
  try {
    await file.writeFile(`${token}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  const linked = await link(draft, path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return false;
      throw error;
    },
  );
  await unlink(draft);
  if (!linked) return persistedAdminToken(dataDir, logger);
  logger.warn(
    { adminTokenFile: path },
    `TALLY_ADMIN_TOKEN is unset: generated an admin token and stored it in ${path} (read it there; it is kept for later starts)`,
  );
  return token;
}
