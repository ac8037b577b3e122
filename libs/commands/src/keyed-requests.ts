import type { Idempotency } from './command-binding';
import type { Answer } from './command-job';
import type { RecordedReply } from './idempotency-store.port';

/** The answer to a key already recorded: the stored reply again, or a refusal for another request. */
export function answerRecorded(
  recorded: RecordedReply,
  fingerprint: string,
  reused: () => Answer,
): Answer {
  return recorded.fingerprint === fingerprint
    ? { reply: recorded.reply, replayed: true, label: 'replayed' }
    : reused();
}

/**
 * Requests carrying an Idempotency-Key: a key recorded earlier answers from the record; a
 * key in flight in this process waits for the first request's answer instead of queuing a
 * second command (another process's duplicate waits on the key's row instead).
 */
export class KeyedRequests {
  private readonly inFlight = new Map<string, { fingerprint: string; answer: Promise<Answer> }>();

  constructor(private readonly find: (key: string) => Promise<RecordedReply | undefined>) {}

  run(
    { key, fingerprint }: Idempotency,
    reused: () => Answer,
    run: () => Promise<Answer>,
  ): Promise<Answer> {
    const first = this.inFlight.get(key);
    if (first) {
      return first.answer.then((answer): Answer =>
        first.fingerprint === fingerprint
          ? { ...answer, replayed: true, label: 'replayed' }
          : reused(),
      );
    }
    const answer = (async (): Promise<Answer> => {
      const recorded = await this.find(key);
      return recorded ? answerRecorded(recorded, fingerprint, reused) : run();
    })();
    this.inFlight.set(key, { fingerprint, answer });
    const forget = (): void => void this.inFlight.delete(key);
    answer.then(forget, forget);
    return answer;
  }
}
