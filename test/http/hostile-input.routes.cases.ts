import { admin } from '../support/http-app';
import { bodyRefusals, row, wrongMethod, type HostileCase } from './hostile-input.case';

const PARKED = '/projections/poll-counts/parked';
const REACTION = '/posts/p1/reactions/like/u1';

/** Every route that reads a body, with the token it needs. */
const BODY_ROUTES: [string, string, Record<string, string>?][] = [
  ['POST', '/polls'],
  ['POST', '/polls/fxpoll/votes'],
  ['POST', '/polls/fxpoll/close', admin],
  ['PUT', REACTION],
  ['POST', `${REACTION}/toggle`],
  ['POST', '/threads'],
  ['POST', '/threads/fxthread/posts'],
  ['POST', '/items', admin],
  ['POST', '/items/fx/purchases'],
  ['POST', '/items/fx/restocks', admin],
  ['POST', '/users'],
  ['POST', '/projections/poll-counts/rebuild', admin],
  ['POST', `${PARKED}/retry`, admin],
  ['POST', `${PARKED}/discard`, admin],
];

const WRONG_METHODS: [string, string][] = [
  ['GET', '/polls'],
  ['DELETE', '/polls'],
  ['PUT', '/polls/fxpoll'],
  ['DELETE', '/polls/fxpoll'],
  ['GET', '/polls/fxpoll/votes'],
  ['PUT', '/polls/fxpoll/votes'],
  ['GET', '/polls/fxpoll/votes/v1'],
  ['POST', '/polls/fxpoll/votes/v1'],
  ['GET', '/polls/fxpoll/close'],
  ['POST', '/polls/fxpoll/live'],
  ['GET', REACTION],
  ['POST', REACTION],
  ['DELETE', REACTION],
  ['GET', `${REACTION}/toggle`],
  ['PUT', `${REACTION}/toggle`],
  ['POST', '/posts/p1/reactions'],
  ['DELETE', '/posts/p1/reactions'],
  ['GET', '/threads'],
  ['PUT', '/threads/fxthread'],
  ['DELETE', '/threads/fxthread'],
  ['GET', '/threads/fxthread/posts'],
  ['GET', '/items'],
  ['PUT', '/items/fx'],
  ['DELETE', '/items/fx'],
  ['GET', '/items/fx/purchases'],
  ['DELETE', '/items/fx/restocks'],
  ['GET', '/users'],
  ['PUT', '/users/alice'],
  ['DELETE', '/users/alice'],
  ['POST', '/projections'],
  ['DELETE', '/projections'],
  ['GET', '/projections/poll-counts/rebuild'],
  ['POST', PARKED],
  ['DELETE', PARKED],
  ['GET', `${PARKED}/retry`],
  ['GET', `${PARKED}/discard`],
  ['POST', '/ops'],
  ['POST', '/ops/status'],
  ['POST', '/health/live'],
  ['DELETE', '/health/ready'],
  ['POST', '/metrics'],
  ['PUT', '/metrics'],
  ['POST', '/docs'],
  ['DELETE', '/docs/json'],
  ['PUT', '/docs/swagger-ui.css'],
];

const UNKNOWN_PATHS = [
  '/poll',
  '/polls/fxpoll/unknown',
  '/polls/fxpoll/votes/v1/extra',
  '/items/fx/sales',
  '/metrics/x',
  '/health',
  '/health/x',
  '/projections/poll-counts/x/y',
  '/docs/no-such-file.css',
  '/.env',
  '/admin',
  '/ops/x',
  '/threads/fxthread/posts/1',
  '/users/alice/x',
];

/** Each route family: wrong methods, unknown paths, bodies it cannot read. */
export const routeCases: HostileCase[] = [
  ...WRONG_METHODS.map(wrongMethod),
  ...UNKNOWN_PATHS.map((path) => row([`GET ${path} (unknown)`, 'GET', path, 404, 'not_found'])),
  ...BODY_ROUTES.flatMap(bodyRefusals),
];
