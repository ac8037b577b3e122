import { randomInt } from 'node:crypto';
import autocannon from 'autocannon';
import { OPTION_IDS } from '../projections/setup';
import { POLLS as SPREAD_POLLS, VOTERS as SPREAD_VOTERS } from '../spread';

export const CONNECTIONS = 64;

export interface Vote {
  pollId: string;
  voterId: string;
  optionId: string;
}

export interface Workload {
  name: 'hot-counter' | 'spread-votes' | 'live-votes';
  polls: readonly string[];
  next(): Vote;
}

/** One poll, one option, a new voter every request: the hot counter over HTTP. */
export function hotCounter(): Workload {
  let n = 0;
  return {
    name: 'hot-counter',
    polls: ['hot-poll'],
    next: () => ({ pollId: 'hot-poll', voterId: `voter-${n++}`, optionId: 'o1' }),
  };
}

/** The spread vote load over HTTP: random poll, voter and option. */
export function spreadVotes(): Workload {
  const polls = Array.from({ length: SPREAD_POLLS }, (_, i) => `poll-${i + 1}`);
  return {
    name: 'spread-votes',
    polls,
    next: () => ({
      pollId: polls[randomInt(polls.length)] ?? 'poll-1',
      voterId: `voter-${randomInt(SPREAD_VOTERS)}`,
      optionId: OPTION_IDS[randomInt(OPTION_IDS.length)] ?? 'o1',
    }),
  };
}

/** Every answer of one or more `fire` runs against one server. */
export interface Answers {
  /** Requests built; those in flight when autocannon stops are never answered to it. */
  sent: number;
  accepted: number;
  refused: number;
  firstRefusal?: string;
}

export const noAnswers = (): Answers => ({ sent: 0, accepted: 0, refused: 0 });

export interface FireOptions {
  /** Requests per second over all connections; 0 or absent: as fast as answered. */
  rate?: number;
}

/**
 * autocannon against POST /polls/{pollId}/votes: every answer is counted into `answers`,
 * and the body of every 200 goes to `accept`.
 */
export function fire(
  baseUrl: string,
  workload: Workload,
  seconds: number,
  answers: Answers,
  accept: (body: string) => void,
  options: FireOptions = {},
) {
  return autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          const vote = workload.next();
          answers.sent++;
          const body = JSON.stringify({ voterId: vote.voterId, optionId: vote.optionId });
          return { ...request, path: `/polls/${vote.pollId}/votes`, body };
        },
        onResponse: (status, body) => {
          if (status !== 200) {
            if (answers.refused++ === 0) answers.firstRefusal = `${status} ${body.slice(0, 300)}`;
            return;
          }
          answers.accepted++;
          accept(body);
        },
      },
    ],
  });
}
