export interface LiveChange {
  pollId: string;
  optionId: string;
  votes: number;
  totalVotes: number;
  position: string;
}

/** Reads a poll's SSE `data:` lines until `done` says stop; returns every change seen. */
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
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      if (frame.startsWith('data: ')) changes.push(JSON.parse(frame.slice(6)) as LiveChange);
    }
    if (done(changes)) break;
  }
  return changes;
}
