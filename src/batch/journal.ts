/**
 * The batch journal: one JSON line per finished input, appended only after that input's output
 * is completely written (an atomic rename in --out-dir, or bytes appended to the --ndjson/--csv
 * file). `--resume` reads it back; a run killed at any point (kill -9 included) loses at most
 * the inputs in flight, and redoes none that were recorded.
 *
 *   {"v":1,"options":{...}}                                   first line: what the outputs were made with
 *   {"sha256":"…","name":"a/b","file":"in/a/b.pdf","status":"ok","pages":44,"checksFailed":0,"ms":812,"end":12345}
 *   {"sha256":"…","name":"c","file":"in/c.pdf","status":"error","code":"corrupt","message":"…","ms":5}
 *
 * `end` (stream sinks only) is the output file's length after this input's lines: on resume the
 * file is cut back to the last recorded `end`, dropping lines of inputs that were not recorded.
 */
import fs from 'node:fs/promises';

export interface JournalEntry {
  sha256: string;
  name: string;
  file: string;
  status: 'ok' | 'error';
  code?: string;
  message?: string;
  pages?: number;
  checksFailed?: number;
  /** ok, but no table (or no core table) was recognised: the warning's code and message */
  incomplete?: { code: string; message: string };
  ms: number;
  /** Peak heap + external memory of the worker during this input, in MB (sampled). */
  peakMb?: number;
  end?: number;
}

export type JournalOptions = Record<string, string | boolean | null>;

export class JournalMismatch extends Error {
  override name = 'JournalMismatch';
}

export class Journal {
  private readonly done = new Map<string, JournalEntry>();
  private lastEnd: number | null = null;

  private constructor(
    readonly file: string,
    private handle: fs.FileHandle | null,
  ) {}

  static key(sha256: string, name: string): string {
    return `${sha256}\u0000${name}`;
  }

  /**
   * Open (and with `resume`, read) the journal. Without `resume` an existing journal is replaced.
   * With `resume`, the options must match those recorded, or a JournalMismatch is thrown.
   */
  static async open(file: string, options: JournalOptions, resume: boolean): Promise<Journal> {
    const j = new Journal(file, null);
    let text = '';
    if (resume) text = await fs.readFile(file, 'utf8').catch(() => '');
    const complete = text.lastIndexOf('\n') + 1; // a line cut by a kill has no newline: ignore it
    const lines = text.slice(0, complete).split('\n').filter(Boolean);
    if (lines.length) {
      const head = JSON.parse(lines[0]!) as { v?: number; options?: JournalOptions };
      const want = JSON.stringify(options);
      const had = JSON.stringify(head.options ?? {});
      if (had !== want) throw new JournalMismatch(`the earlier run used other options (${had}); now ${want}`);
      for (const line of lines.slice(1)) {
        let e: JournalEntry;
        try {
          e = JSON.parse(line) as JournalEntry;
        } catch {
          continue;
        }
        j.done.set(Journal.key(e.sha256, e.name), e);
        if (typeof e.end === 'number') j.lastEnd = e.end;
      }
      await fs.truncate(file, complete);
      j.handle = await fs.open(file, 'a');
    } else {
      j.handle = await fs.open(file, 'w');
      await j.handle.write(JSON.stringify({ v: 1, options }) + '\n');
    }
    return j;
  }

  /** The recorded result of this content under this name, if any. */
  get(sha256: string, name: string): JournalEntry | undefined {
    return this.done.get(Journal.key(sha256, name));
  }

  /** Length of the stream output covered by recorded entries (null: none recorded). */
  get streamEnd(): number | null {
    return this.lastEnd;
  }

  get size(): number {
    return this.done.size;
  }

  /** Append one entry (after its output is written). */
  async record(e: JournalEntry): Promise<void> {
    this.done.set(Journal.key(e.sha256, e.name), e);
    await this.handle!.write(JSON.stringify(e) + '\n');
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
  }
}
