/**
 * One model per adapter: the `model` option and the `model` query parameter of a `url` override
 * must agree, because the server runs the URL's model (the GA and beta endpoints both take the
 * model as `?model=`, openai-realtime-2026.md §1) while profiles, deprecation warnings and option
 * checks use the adapter's model.
 *
 * - `model` given, `url` with a `model` parameter: the parameter is set to `model` (what is sent is
 *   what was checked);
 * - `model` not given: the URL's `model` parameter, when there is one, is the model;
 * - neither: the protocol's default, in the default URL.
 *
 * Other parameters (Azure's `deployment`, `api-version`) are left alone. A `url` that is not a URL
 * is passed through unchanged (the connection reports it).
 */
export function resolveUrlModel(url: string | undefined, model: string | undefined, fallback: string): { url: string | undefined; model: string } {
  if (url === undefined) return { url, model: model ?? fallback };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, model: model ?? fallback };
  }
  const inUrl = parsed.searchParams.get('model');
  if (inUrl === null || inUrl === '') return { url, model: model ?? fallback };
  if (model === undefined || model === inUrl) return { url, model: inUrl };
  parsed.searchParams.set('model', model);
  return { url: parsed.toString(), model };
}
