import type { Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FASTIFY_ROUTE_SCHEMA_METADATA } from '@nestjs/platform-fastify/constants';
import { textProblem } from '@tally/event-store';
import Ajv from 'ajv';
import type { FastifySchema } from 'fastify';
import { TEXT_FORMAT } from '../shared/dto-rules';
import { validationFailed } from './api-error';
import { schemaOf } from './dto-schema';
import { problemsOf } from './validation-problems';

/**
 * Bodies and path parameters are validated by Fastify, before Nest sees the request, with
 * validators ajv compiles once per route from the DTOs' schemas. Not Fastify's default ajv
 * options: nothing is coerced ("2" is not a quantity), removed (an unknown field is refused)
 * or defaulted, and every field's problem is found, not only the first field's.
 */
export function installSchemaValidation(app: NestFastifyApplication): void {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: false,
    strict: true,
  });
  ajv.addFormat(TEXT_FORMAT, {
    type: 'string',
    validate: (value) => textProblem(value) === undefined,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  fastify.setSchemaErrorFormatter((errors, part) => validationFailed(problemsOf(errors, part)));
  attachRouteSchemas(app);
}

interface RouteArgument {
  index: number;
  /** A named argument (`@Param('name')`) is one value, not a DTO. */
  data?: unknown;
}

/**
 * Gives every controller method whose `@Body()` or `@Param()` is a DTO class the Fastify route
 * schema of that DTO, so no route can take a body that is not validated. Runs before Nest
 * registers the routes (at `init`), which copies each method's metadata onto its route.
 */
function attachRouteSchemas(app: NestFastifyApplication): void {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const method = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof method !== 'function') continue;
        if (Reflect.getMetadata(FASTIFY_ROUTE_SCHEMA_METADATA, method)) continue;
        const schema = routeSchema(controller, name);
        if (schema) Reflect.defineMetadata(FASTIFY_ROUTE_SCHEMA_METADATA, schema, method);
      }
    }
  }
}

function routeSchema(controller: Type, method: string): FastifySchema | undefined {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    RouteArgument
  >;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, method) ??
    []) as unknown[];
  const schema: FastifySchema = {};
  for (const [key, argument] of Object.entries(args)) {
    const type = types[argument.index];
    if (argument.data !== undefined || typeof type !== 'function' || type === Object) continue;
    const kind = key.split(':')[0];
    if (kind === String(RouteParamtypes.BODY)) schema.body = schemaOf(type as Type);
    if (kind === String(RouteParamtypes.PARAM)) schema.params = schemaOf(type as Type);
  }
  return schema.body || schema.params ? schema : undefined;
}
