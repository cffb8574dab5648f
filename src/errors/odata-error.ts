/**
 * The one error type the pipeline throws. Instances are only created by the factories in `catalog.ts`,
 * at the stage that understands the problem; the HTTP boundary shapes them into Graph error bodies.
 */
export class ODataError extends Error {
  readonly status: number;
  readonly code: string;
  readonly target: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, options: { target?: string; cause?: unknown; headers?: Record<string, string> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ODataError';
    this.status = status;
    this.code = code;
    this.target = options.target;
    this.headers = options.headers ?? {};
  }
}
