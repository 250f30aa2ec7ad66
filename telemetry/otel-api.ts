/**
 * `@opentelemetry/api` is an optional peer dependency: it is imported only when a session asks for
 * telemetry, and only dynamically, so an application without it pays nothing and sees no error.
 */
export type OtelApi = typeof import('@opentelemetry/api');

let loading: Promise<OtelApi | undefined> | undefined;

/** The API module, or undefined when it is not installed (the result is shared by every session). */
export function loadOtelApi(): Promise<OtelApi | undefined> {
  loading ??= import('@opentelemetry/api').then(
    (api) => api,
    () => undefined,
  );
  return loading;
}
