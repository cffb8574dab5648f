/**
 * Why an import stopped as a whole (the import CLI prints the message as one line; import jobs record it):
 * - InputError: an input that cannot be planned (a dangling link, an unreadable directory), before anything is written;
 * - ImportStoreError: the store failed a write or a lookup (SQLite's lock held past its busy timeout, PostgreSQL
 *   gone). The batches that committed are kept, each whole (writes already posted may still commit after the
 *   failure); running the import again completes it. A reader's own
 *   failure (an I/O error) is not one of these: it ends its file with a reject, and the next file is read.
 */
export class InputError extends Error {}

/** Why a file system call on an input failed, as a message says it. */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'ELOOP' ? 'too many levels of symbolic links' : 'cannot be read';
}

export class ImportStoreError extends Error {
  constructor(cause: unknown) {
    super(`the store failed: ${(cause as Error)?.message ?? String(cause)}; the batches that committed are kept whole, and running the import again completes it`, { cause });
  }
}

/** `e` as an ImportStoreError, unless it already is one or an InputError. */
const asImportFailure = (e: unknown): InputError | ImportStoreError => (e instanceof InputError || e instanceof ImportStoreError ? e : new ImportStoreError(e));

/** A rejection handler: rejects with asImportFailure(e) (the store's work failed, or the run did). */
export const storeFailed = (e: unknown): Promise<never> => Promise.reject(asImportFailure(e));
