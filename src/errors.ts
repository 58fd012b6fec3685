/** Every error the tool reports, with its documented exit status. */
export const ERROR_CODES = {
  usage: 2,
  not_found: 10,
  empty: 11,
  not_pdf: 12,
  corrupt: 13,
  encrypted: 14,
  no_text_layer: 15,
  not_budget: 16,
  io_error: 17,
  timeout: 18,
  out_of_memory: 19,
  not_a_pair: 20,
  internal: 70,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** An expected failure: reported as one line `budget-extract: FILE: MESSAGE [code]`. */
export class ExtractError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExtractError';
  }
}

/** Exit status of a run that succeeded. */
export const EXIT_OK = 0;
/** Exit status with --strict when a cross-check failed: the output is still written. Not an error code. */
export const EXIT_CHECKS_FAILED = 3;
