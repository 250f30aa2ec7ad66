/**
 * A promise with its settle functions, for requests the facade follows to their end
 * (`updateSession().completion`, `sendText().reply`). Settling twice is a no-op, as for any promise.
 * (`Promise.withResolvers` does the same from Node 22; voxstate runs on Node 20.)
 */
export function settleable<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
