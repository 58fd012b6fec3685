/** A batch worker thread: runs the single-file path (extractInput → restrict → serialise) on
 *  each job it is sent. The pool enforces the time limit and replaces a worker that dies. */
import { parentPort, workerData } from 'node:worker_threads';
import { classify, extractInput, failedChecks, incompleteWarning, restrict, serialize } from '../cli/run.js';
import { csvRows } from '../output/csv.js';
import { warmUp } from '../pdf/load.js';
import type { DocFacts, JobMessage, JobResult, WorkerConfig, WorkerMessage } from './protocol.js';

const config = workerData as WorkerConfig;
const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);

// pdf.js may log after a document is done; nothing may reach the batch's stdout.
if (!config.debug) {
  for (const m of ['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir'] as const) {
    (console as unknown as Record<string, unknown>)[m] = () => undefined;
  }
}

function memoryNow(): number {
  const m = process.memoryUsage(); // heap and external are this thread's own
  return m.heapTotal + m.external;
}

let peak = 0;
const sampler = setInterval(() => {
  const bytes = memoryNow();
  if (bytes > peak) peak = bytes;
  send({ type: 'memory', bytes, over: bytes > config.memoryLimitBytes });
}, 200);
sampler.unref();

function facts(doc: import('../model.js').Document): DocFacts {
  return {
    pages: doc.source.pages,
    department: doc.document.department,
    fiscalYear: doc.document.fiscalYear,
    kind: doc.document.kind,
    tables: doc.tables.length,
    checksFailed: failedChecks(doc),
    incomplete: incompleteWarning(doc),
  };
}

async function run(job: JobMessage): Promise<JobResult> {
  const t0 = performance.now();
  peak = memoryNow();
  try {
    const opts: Parameters<typeof extractInput>[2] = { debug: config.debug };
    if (config.password !== undefined) opts.password = config.password;
    if (config.limits) opts.limits = config.limits;
    if (config.unit) opts.unit = config.unit;
    if (config.only) opts.only = config.only;
    if (config.pages) opts.pages = config.pages;
    if (config.table !== undefined) opts.table = config.table;
    if (config.boxes) opts.boxes = true;
    const doc = await extractInput(job.file, { data: job.data, sha256: job.sha256 }, opts);
    const out = restrict(doc, config.only);
    let text = '';
    if (config.output === 'document') text = serialize(out, config.format, config.pretty, { bom: config.bom });
    else if (config.output === 'ndjson') text = JSON.stringify(out) + '\n';
    else if (config.output === 'csv-rows') text = csvRows(out);
    const ms = performance.now() - t0;
    peak = Math.max(peak, memoryNow());
    return { type: 'result', id: job.id, ok: true, text, facts: facts(doc), ms, peakBytes: peak };
  } catch (e) {
    const c = classify(e);
    const error: { code: string; message: string; stack?: string } = { code: c.code, message: c.message };
    if (config.debug && e instanceof Error && e.stack) error.stack = e.stack;
    peak = Math.max(peak, memoryNow());
    return { type: 'result', id: job.id, ok: false, error, ms: performance.now() - t0, peakBytes: peak };
  }
}

port.on('message', (job: JobMessage) => {
  void run(job).then(send);
});
// pdf.js loads once per worker, before the first file's clock starts.
void warmUp().then(
  () => send({ type: 'ready' }),
  () => send({ type: 'ready' }),
);
