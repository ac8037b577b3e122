import type { handleUnaryCall } from '@grpc/grpc-js';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import {
  SupportedMethod,
  SupportedMethods,
} from '@eventstore/db-client/generated/serverfeatures_pb';

/** The server version this test server claims to be (the 23.10 line: caughtUp/fellBehind exist). */
export const MODELLED_SERVER_VERSION = '23.10.0';

const STREAMS = 'event_store.client.streams.streams';

/**
 * `ServerFeatures.GetSupportedMethods`, which the client asks once (lazily, at its first append)
 * to choose between `Streams.BatchAppend` and `Streams.Append`. BatchAppend is not listed, so the
 * client uses the plain client-streaming `Append`, one call per append.
 */
export const supportedMethodsHandler: handleUnaryCall<Empty, SupportedMethods> = (
  _call,
  callback,
) => {
  const method = (name: string, features: string[] = []): SupportedMethod =>
    new SupportedMethod().setServiceName(STREAMS).setMethodName(name).setFeaturesList(features);
  callback(
    null,
    new SupportedMethods()
      .setEventStoreServerVersion(MODELLED_SERVER_VERSION)
      .setMethodsList([method('read', ['position', 'events']), method('append')]),
  );
};
