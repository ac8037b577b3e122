import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifySchema } from 'fastify';
import { routeAccess, type Access, type Tokens } from './auth';
import type { ErrorCode } from './error-codes';
import { byStatus, errorComponents, errorResponse, type OpenApiSchema } from './error-schemas';

/** Where the Swagger UI and its JSON are served. */
const DOCS_PATH = 'docs';
const DOCS_JSON_PATH = 'docs/json';

const DESCRIPTION = `Exact counters under concurrency: commands append events, projections count them.

Errors are \`{"error": "<code>", "message": "…"}\` plus the fields each code's schema lists.
Any path with a method it does not serve: 405 \`method_not_allowed\`; an unknown path: 404
\`not_found\`. A HEAD is served wherever a GET is.

Auth: \`Authorization: Bearer <token>\`. Each operation's security says who may call it, as
this instance enforces it: \`adminToken\` (TALLY_ADMIN_TOKEN) alone on admin routes;
\`apiToken\` (TALLY_API_TOKEN) or \`adminToken\` on the others, and no token at all when
TALLY_API_TOKEN is unset (\`{}\`, optional); none on the health probes.`;

interface ServedRoute {
  method: string;
  url: string;
  access: Access;
  schema?: FastifySchema;
}

interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
  parameters?: { in: string; name: string; schema?: OpenApiSchema }[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
}

type SecuritySchemes = NonNullable<NonNullable<OpenAPIObject['components']>['securitySchemes']>;

/** Bearer tokens are opaque strings: no `bearerFormat`. */
function securitySchemes(apiTokenSet: boolean): SecuritySchemes {
  return {
    adminToken: {
      type: 'http',
      scheme: 'bearer',
      description: 'TALLY_ADMIN_TOKEN: admin routes; it also works wherever the API token does',
    },
    apiToken: {
      type: 'http',
      scheme: 'bearer',
      description: apiTokenSet
        ? 'TALLY_API_TOKEN: needed on every route that is neither admin nor a probe'
        : 'TALLY_API_TOKEN: unset on this instance, so the routes that would need it are open',
    },
  };
}

/** Who may call a route, and what it answers those who may not. */
function authOf(
  access: Access,
  apiTokenSet: boolean,
): { security: Record<string, string[]>[]; refusals: ErrorCode[] } {
  if (access === 'public') return { security: [], refusals: [] };
  if (access === 'admin') {
    return { security: [{ adminToken: [] }], refusals: ['unauthorized', 'forbidden'] };
  }
  const tokens: Record<string, string[]>[] = [{ apiToken: [] }, { adminToken: [] }];
  return apiTokenSet
    ? { security: tokens, refusals: ['unauthorized'] }
    : { security: [{}, ...tokens], refusals: [] };
}

// What only documents; everything else in a request schema is the validator's.
const DOCUMENTING = ['description', 'example', 'examples', 'title'] as const;

/** The validator's own schema, with the descriptions and examples the document adds to it. */
function withDocs(validating: OpenApiSchema, shown: OpenApiSchema | undefined): OpenApiSchema {
  const result: OpenApiSchema = { ...validating };
  for (const keyword of DOCUMENTING) {
    if (shown?.[keyword] !== undefined) result[keyword] = shown[keyword];
  }
  const properties = validating.properties as Record<string, OpenApiSchema> | undefined;
  if (properties) {
    const shownProperties = (shown?.properties ?? {}) as Record<string, OpenApiSchema>;
    result.properties = Object.fromEntries(
      Object.entries(properties).map(([name, p]) => [name, withDocs(p, shownProperties[name])]),
    );
  }
  return result;
}

/** Request bodies and path parameters exactly as the route's validator checks them. */
function useValidatorSchemas(document: OpenAPIObject, operation: Operation, schema: FastifySchema) {
  const body = schema.body as OpenApiSchema | undefined;
  const ref = operation.requestBody?.content?.['application/json']?.schema?.$ref;
  const schemas = (document.components?.schemas ?? {}) as Record<string, OpenApiSchema>;
  if (body && ref) {
    const name = ref.split('/').pop()!;
    schemas[name] = withDocs(body, schemas[name]);
  }
  const params = (schema.params as OpenApiSchema | undefined)?.properties as
    Record<string, OpenApiSchema> | undefined;
  for (const parameter of operation.parameters ?? []) {
    const validating = parameter.in === 'path' ? params?.[parameter.name] : undefined;
    if (validating) parameter.schema = withDocs(validating, parameter.schema);
  }
}

/** The document Nest scanned from the decorators, completed from the routes Fastify serves. */
function complete(
  document: OpenAPIObject,
  routes: readonly ServedRoute[],
  apiTokenSet: boolean,
): OpenAPIObject {
  document.components = {
    ...document.components,
    securitySchemes: securitySchemes(apiTokenSet),
    schemas: { ...document.components?.schemas, ...errorComponents() },
  };
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operation = (document.paths[path] as Record<string, Operation> | undefined)?.[
      route.method.toLowerCase()
    ];
    if (!operation) continue;
    const { security, refusals } = authOf(route.access, apiTokenSet);
    operation.security = security;
    for (const [status, codes] of byStatus(refusals)) {
      operation.responses[String(status)] = errorResponse(codes);
    }
    if (route.schema) useValidatorSchemas(document, operation, route.schema);
  }
  return document;
}

/**
 * The Swagger UI at /docs and its JSON at /docs/json. Security, auth refusals and request
 * schemas are taken from the routes as Fastify registers them, with the access its auth hook
 * enforces and the schemas its validator compiles, so the document cannot say otherwise.
 */
export function installOpenApi(app: NestFastifyApplication, tokens: Tokens): void {
  const fastify = app.getHttpAdapter().getInstance();
  const routes: ServedRoute[] = [];
  fastify.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    for (const method of methods) {
      if (method === 'HEAD' || route.url.startsWith(`/${DOCS_PATH}`)) continue;
      routes.push({ method, url: route.url, access: routeAccess(route), schema: route.schema });
    }
  });
  const config = new DocumentBuilder().setTitle('Tally').setDescription(DESCRIPTION).build();
  let document: OpenAPIObject | undefined;
  const build = (): OpenAPIObject =>
    (document ??= complete(
      SwaggerModule.createDocument(app, config),
      routes,
      tokens.api !== undefined,
    ));
  // Built once every route is registered, so a broken description fails the start.
  fastify.addHook('onReady', (done) => {
    try {
      build();
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  SwaggerModule.setup(DOCS_PATH, app, build, { jsonDocumentUrl: DOCS_JSON_PATH });
}
