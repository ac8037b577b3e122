import { DatabaseError } from 'pg';
import {
  databaseUnavailability,
  isDatabaseUnavailable,
  isRequestAbort,
} from './database-unavailable';

const pgError = (code: string, message = 'from the server'): DatabaseError =>
  Object.assign(new DatabaseError(message, message.length, 'error'), { code });

const socketError = (code: string, syscall = 'read'): Error =>
  Object.assign(new Error(`${syscall} ${code}`), { code, errno: -1, syscall });

describe('isDatabaseUnavailable: the one classifier of database failures', () => {
  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection due to crash of another server process'],
    ['57P03', 'the database system is starting up'],
    ['57P03', 'the database system is shutting down'],
    ['08006', 'connection failure'],
    ['08001', 'could not connect'],
  ])('SQLSTATE %s (%s) is the database unreachable', (code, message) => {
    expect(databaseUnavailability(pgError(code, message))).toBe('unreachable');
  });

  it('a refused write (read-only), a full disk, an I/O error, a statement timeout', () => {
    expect(databaseUnavailability(pgError('25006'))).toBe('read_only');
    expect(databaseUnavailability(pgError('53100'))).toBe('exhausted');
    expect(databaseUnavailability(pgError('53300'))).toBe('exhausted');
    expect(databaseUnavailability(pgError('58030'))).toBe('exhausted');
    expect(databaseUnavailability(pgError('57014'))).toBe('timeout');
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'])(
    'a socket to the database that fails with %s',
    (code) => {
      expect(databaseUnavailability(socketError(code, 'connect'))).toBe('unreachable');
    },
  );

  it.each([
    ['Connection terminated unexpectedly', 'unreachable'],
    ['Client has encountered a connection error and is not queryable', 'unreachable'],
    ['Client was closed and is not queryable', 'unreachable'],
    ['Connection terminated due to connection timeout', 'timeout'],
    ['timeout exceeded when trying to connect', 'timeout'],
    ['Cannot use a pool after calling end on the pool', 'unreachable'],
  ])('pg without a code: "%s"', (message, reason) => {
    expect(databaseUnavailability(new Error(message))).toBe(reason);
  });

  it('looks into AggregateError (every address refused) and causes', () => {
    const refused = new AggregateError(
      [socketError('ECONNREFUSED', 'connect'), socketError('ECONNREFUSED', 'connect')],
      'connect failed',
    );
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: pgError('57P01') }))).toBe(true);
  });

  it('a client hanging up mid-body (Fastify marks it with an HTTP status) is not the database', () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 });
    expect(isDatabaseUnavailable(aborted)).toBe(false);
    expect(isRequestAbort(aborted)).toBe(true);
  });

  it("Node's own 'aborted' of a request stream, without a status, is a client abort", () => {
    // What IncomingMessage is destroyed with when its socket closes mid-body.
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    expect(isDatabaseUnavailable(aborted)).toBe(false);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: aborted }))).toBe(false);
    expect(isRequestAbort(aborted)).toBe(true);
    // The driver's socket names its syscall: still the database, never a client abort.
    expect(isRequestAbort(socketError('ECONNRESET'))).toBe(false);
    expect(isDatabaseUnavailable(socketError('ECONNRESET'))).toBe(true);
  });

  it('a broker refusing a socket is not the database', () => {
    const broker = Object.assign(new Error('Connection error: connect ECONNREFUSED'), {
      name: 'KafkaJSConnectionError',
      code: 'ECONNREFUSED',
    });
    expect(isDatabaseUnavailable(broker)).toBe(false);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a serialization failure (retried elsewhere)', pgError('40001')],
    ['a syntax error', pgError('42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['not an error', 'Connection terminated'],
    ['nothing', undefined],
  ])('%s is not unavailability', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
