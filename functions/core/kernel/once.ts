/**
 * The first call's promise, shared by every later call, so two concurrent first uses make one
 * client; forgotten if it fails, so the next call tries again instead of every request failing
 * until the process restarts (a lazy import that hit EMFILE, a credential that was not ready).
 */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}
