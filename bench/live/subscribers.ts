import { LiveClient } from '../lib/live-client';

/**
 * The live bench's followers, in a process of their own (as browsers would be): told over
 * IPC to open streams, then to wait until every stream shows the final counts.
 */
export type SubscriberCommand =
  | { cmd: 'open'; baseUrl: string; polls: string[]; perPoll: number }
  | { cmd: 'expect'; finals: Record<string, Record<string, number>>; timeoutMs: number }
  | { cmd: 'close' };

export type SubscriberReply =
  | { ok: 'opened'; count: number; failed: number }
  /** `reachedAt`: per exact stream, when the message that made it final arrived (ms epoch). */
  | { ok: 'expected'; reachedAt: number[]; exact: number; total: number };

let clients: { pollId: string; client: LiveClient }[] = [];

const send = (reply: SubscriberReply): void => void process.send?.(reply);

async function open(baseUrl: string, polls: string[], perPoll: number): Promise<void> {
  clients = polls.flatMap((pollId) =>
    Array.from({ length: perPoll }, () => ({ pollId, client: new LiveClient() })),
  );
  let failed = 0;
  // A few hundred connects at a time: the server's accept queue is finite.
  for (let i = 0; i < clients.length; i += 500) {
    const opened = await Promise.allSettled(
      clients.slice(i, i + 500).map(({ pollId, client }) => client.open(baseUrl, pollId)),
    );
    failed += opened.filter((o) => o.status === 'rejected').length;
  }
  send({ ok: 'opened', count: clients.length - failed, failed });
}

function isFinal(
  client: LiveClient,
  finals: Record<string, number> | undefined,
): finals is Record<string, number> {
  return (
    finals !== undefined &&
    Object.entries(finals).every(([optionId, votes]) => client.votes(optionId) === votes)
  );
}

async function expectFinals(
  finals: Record<string, Record<string, number>>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = () => clients.filter(({ pollId, client }) => !isFinal(client, finals[pollId]));
  while (pending().length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const exact = clients.filter(({ pollId, client }) => isFinal(client, finals[pollId]));
  send({
    ok: 'expected',
    reachedAt: exact.map(({ client }) => client.lastChangeAt),
    exact: exact.length,
    total: clients.length,
  });
}

process.on('message', (message: SubscriberCommand) => {
  if (message.cmd === 'open') void open(message.baseUrl, message.polls, message.perPoll);
  else if (message.cmd === 'expect') void expectFinals(message.finals, message.timeoutMs);
  else {
    for (const { client } of clients) client.close();
    process.exit(0);
  }
});
