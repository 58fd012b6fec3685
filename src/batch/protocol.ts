/** Messages between the batch pool (main thread) and its workers. */
import type { OnlyPart } from '../cli/run.js';
import type { OutputFormat } from '../cli/lines.js';

/** What a worker produces for each input. */
export type OutputKind =
  /** A complete document in `format` (one file per input). */
  | 'document'
  /** One compact JSON line (--ndjson). */
  | 'ndjson'
  /** CSV data rows without header (--csv). */
  | 'csv-rows'
  /** Nothing: only the result's facts (benchmarks, fuzzing). */
  | 'none';

export interface WorkerConfig {
  format: OutputFormat;
  output: OutputKind;
  pretty: boolean;
  bom: boolean;
  unit?: 'yuan' | 'wan';
  only?: OnlyPart;
  /** `--pages` and `--table` (see cli/select.ts). */
  pages?: number[];
  table?: string;
  boxes?: boolean;
  password?: string;
  debug: boolean;
  /** Caps of pdf/load.ts (the defaults for those not given). */
  limits?: Partial<import('../pdf/limits.js').PdfLimits>;
  /** Report out_of_memory when this worker's heap + external memory passes this many bytes. */
  memoryLimitBytes: number;
}

export interface JobMessage {
  type: 'job';
  id: number;
  file: string;
  sha256: string;
  data: Uint8Array;
}

export interface DocFacts {
  pages: number;
  department: string | null;
  fiscalYear: number | null;
  kind: string | null;
  tables: number;
  checksFailed: number;
  /** A document read without any recognised table, or none of the core ones (its warning). */
  incomplete: { code: string; message: string } | null;
}

export interface JobOk {
  type: 'result';
  id: number;
  ok: true;
  text: string;
  facts: DocFacts;
  ms: number;
  /** Peak heap + external memory of the worker during this job, in bytes (sampled). */
  peakBytes: number;
}

export interface JobFailed {
  type: 'result';
  id: number;
  ok: false;
  error: { code: string; message: string; stack?: string };
  ms: number;
  peakBytes: number;
}

export type JobResult = JobOk | JobFailed;

/** Sent every few hundred milliseconds while the worker's event loop turns. */
export interface MemoryMessage {
  type: 'memory';
  bytes: number;
  /** True when bytes passed the configured limit: the pool ends the worker. */
  over: boolean;
}

export interface ReadyMessage {
  type: 'ready';
}

export type WorkerMessage = JobResult | MemoryMessage | ReadyMessage;
