import { Metadata, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';

/**
 * The gRPC errors the server raises, with the status codes and the `exception` trailer keys of
 * EventStoreDB's RpcExceptions (the client maps the `exception` trailer to its error classes).
 */

function rpcError(
  code: status,
  details: string,
  trailers: Record<string, string> = {},
): ServiceError {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), {
    code,
    details,
    metadata,
  });
}

/** EventStoreDB's default `MaxAppendSize`: 1 MiB of event data, metadata and type per append. */
export const DEFAULT_MAX_APPEND_SIZE = 1_024 * 1_024;

export function maxAppendSizeExceeded(maxAppendSize: number): ServiceError {
  return rpcError(status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
    exception: 'maximum-append-size-exceeded',
    'maximum-append-size': String(maxAppendSize),
  });
}

export function requiredMetadataPropertyMissing(property: string): ServiceError {
  return rpcError(status.INVALID_ARGUMENT, `Required Metadata Property '${property}' is missing`, {
    exception: 'missing-required-metadata-property',
    'required-metadata-properties': 'type,content-type',
  });
}

export function invalidArgument(details: string): ServiceError {
  return rpcError(status.INVALID_ARGUMENT, details);
}

export function unavailable(details: string): ServiceError {
  return rpcError(status.UNAVAILABLE, details);
}

export function unimplemented(details: string): ServiceError {
  return rpcError(status.UNIMPLEMENTED, details);
}
