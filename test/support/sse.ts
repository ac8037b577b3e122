import { LiveFrames, type LiveChange } from '../../bench/lib/live-client';

export type { LiveChange };

/** Reads a poll's SSE stream with fetch (as a browser would) until `done` says stop; returns every change seen. */
export async function followLive(
  url: string,
  done: (changes: LiveChange[]) => boolean,
  signal: AbortSignal,
): Promise<LiveChange[]> {
  const response = await fetch(url, { signal });
  if (!response.headers.get('content-type')?.includes('text/event-stream'))
    throw new Error(`${response.status}: ${await response.text()}`);
  const changes: LiveChange[] = [];
  const decoder = new TextDecoder();
  const frames = new LiveFrames();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    changes.push(...frames.push(decoder.decode(chunk, { stream: true })));
    if (done(changes)) break;
  }
  return changes;
}
