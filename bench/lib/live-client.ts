import { request, type ClientRequest, type IncomingMessage } from 'node:http';

export interface LiveChange {
  pollId: string;
  optionId: string;
  votes: number;
  totalVotes: number;
  position: string;
}

/**
 * Splits the text of a live stream into its changes as chunks arrive (a frame can span two
 * chunks); frames other than `data:` (comments, keep-alives) are skipped.
 */
export class LiveFrames {
  private buffer = '';

  push(text: string): LiveChange[] {
    this.buffer += text;
    const changes: LiveChange[] = [];
    let cut: number;
    while ((cut = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      if (frame.startsWith('data: ')) changes.push(JSON.parse(frame.slice(6)) as LiveChange);
    }
    return changes;
  }
}

/** One `GET /polls/{id}/live` stream read with node:http: cheap enough for thousands at once (the live bench, the fan-out tests). */
export class LiveClient {
  readonly changes: LiveChange[] = [];
  /** Latest votes per option, and when each was last seen. */
  readonly latest = new Map<string, number>();
  lastChangeAt = 0;
  ended = false;
  private req: ClientRequest | undefined;
  private response: IncomingMessage | undefined;

  /** Resolves once the stream is open (status 200 and the first bytes), rejects otherwise. */
  open(baseUrl: string, pollId: string, query = ''): Promise<void> {
    return new Promise((resolve, reject) => {
      const url = new URL(`/polls/${pollId}/live${query}`, baseUrl);
      this.req = request(url, { agent: false }, (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`live ${pollId}: ${String(response.statusCode)}`));
          response.resume();
          return;
        }
        this.response = response;
        response.setEncoding('utf8');
        const frames = new LiveFrames();
        let opened = false;
        response.on('data', (text: string) => {
          for (const change of frames.push(text)) {
            this.changes.push(change);
            this.latest.set(change.optionId, change.votes);
            this.lastChangeAt = Date.now();
          }
          if (!opened) {
            opened = true;
            resolve();
          }
        });
        response.on('end', () => (this.ended = true));
        response.on('close', () => (this.ended = true));
      });
      this.req.on('error', (error) => {
        this.ended = true;
        reject(error);
      });
      this.req.end();
    });
  }

  votes(optionId: string): number {
    return this.latest.get(optionId) ?? 0;
  }

  /** Stops reading: the server's writes pile up, as with a client that hung. */
  pause(): void {
    this.response?.pause();
  }

  resume(): void {
    this.response?.resume();
  }

  close(): void {
    this.req?.destroy();
  }
}
