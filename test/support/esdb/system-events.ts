import type { EventLog } from './event-log';

/**
 * What a fresh single node writes to its log before any client does (the default admin and ops
 * users, the stream metadata of its stats stream, a scavenge record): `$`-prefixed event types
 * in `$`-prefixed streams, present in `$all`, which a reader of `$all` must filter out.
 */
export function seedSystemEvents(log: EventLog): void {
  const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');
  const system = (streamId: string, type: string, data: unknown): void => {
    log.append(streamId, { kind: 'any' }, [
      {
        id: '',
        type,
        contentType: 'application/json',
        data: json(data),
        metadata: new Uint8Array(),
      },
    ]);
  };
  system('$$$stats-127.0.0.1:2113', '$metadata', { $maxAge: 86400 });
  system('$user-admin', '$user', { loginName: 'admin', fullName: 'Event Store Administrator' });
  system('$users', '$User', 'admin');
  system('$user-ops', '$user', { loginName: 'ops', fullName: 'Event Store Operations' });
  system('$users', '$User', 'ops');
  system('$scavenges', '$scavengeIndexInitialized', {});
}
