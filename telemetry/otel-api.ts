/**
 * `@opentelemetry/api` is an optional peer dependency: it is imported only when a session asks for
 * telemetry, and only dynamically, so an application without it pays nothing and sees no error.
 */
import type { OtelApi } from './otel-types.js';

export type { OtelApi };

let loading: Promise<OtelApi | undefined> | undefined;

/** The API module, or undefined when it is not installed (the result is shared by every session). */
export function loadOtelApi(): Promise<OtelApi | undefined> {
  loading ??= import('@opentelemetry/api').then(
    // The module's types are the API's own; voxstate uses the structural subset of otel-types.ts.
    (api) => api as unknown as OtelApi,
    () => undefined,
  );
  return loading;
}
