import type { logCreator, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

// kafkajs's levels, without loading kafkajs into processes that never use Kafka.
const ERROR: logLevel.ERROR = 1;
const WARN: logLevel.WARN = 2;
const INFO: logLevel.INFO = 4;

// Written by pino itself (its time, its logger) or as the line's message.
const OWN_FIELDS = new Set(['message', 'timestamp', 'logger']);

/**
 * kafkajs's log entries on the process's own logger (one format, one stream), and a call of
 * `onError` for each entry at ERROR: kafkajs retries failed connections and requests on its
 * own, so an outage shorter than its retries never fails a send, and is seen only here.
 */
export function kafkaLogCreator(logger: Logger, onError?: () => void): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message } = log;
      const fields = Object.entries(log).filter(([key]) => !OWN_FIELDS.has(key));
      const line = { component: 'kafkajs', namespace, ...Object.fromEntries(fields) };
      if (level === ERROR) {
        onError?.();
        logger.error(line, message);
      } else if (level === WARN) logger.warn(line, message);
      else if (level === INFO) logger.info(line, message);
      else logger.debug(line, message);
    };
}
