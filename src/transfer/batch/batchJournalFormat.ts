// The batch journal's file format: one append-only JSON-lines file per batch in the checkpoint
// folder, `batch-<id>.journal.jsonl`. The first line is the header (batch id, label, owner,
// created, format version); every later line is one record: an item added (its TransferSpec, no
// credential headers), a big file started (its checkpoint and endpoint), a small upload sent, an
// item done or dropped (discarded), or a new owner. Reading folds the lines into each item's state.
// A torn last line (the writer was killed mid-write) is ignored; unknown record kinds are skipped,
// so a newer writer's extra records do not stop an older reader; an unknown header version is
// reported and the file left alone.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseOwner, parseSpec, safeHeaders, type JournalRecord } from './transferJournal.js';
import type { TransferSpec } from './transferTypes.js';

export const BATCH_JOURNAL_VERSION = 1;
const PREFIX = 'batch-';
export const BATCH_JOURNAL_SUFFIX = '.journal.jsonl';

export type JournalOwner = JournalRecord['owner'];

export interface BatchHeader {
  id: string;
  label: string;
  owner: JournalOwner;
  created: string;
}

export type BatchRecord =
  | { kind: 'item'; id: string; spec: TransferSpec }
  /** A big file is about to run on the engine with this checkpoint. */
  | { kind: 'start'; id: string; cptPath: string; endpoint: string }
  /** A small upload's request is about to be sent: after a crash its object may be on the server. */
  | { kind: 'send'; id: string }
  | { kind: 'done'; id: string }
  /** Discarded or superseded: nothing of it is restored. */
  | { kind: 'drop'; id: string }
  /** Another manager took the batch over (or the owner released it on close). */
  | { kind: 'owner'; owner: JournalOwner; at: string };

export interface JournalItemState {
  id: string;
  spec: TransferSpec;
  cptPath?: string;
  endpoint?: string;
  /** A request for it was sent and no done followed: it may be on the server. */
  sent: boolean;
  done: boolean;
  dropped: boolean;
}

export interface BatchJournalState {
  file: string;
  header: BatchHeader;
  /** When the owner was last written (the header's created, or its latest owner record). */
  ownedSince: string;
  /** When the file last changed (a running batch appends to it), 0 if unknown. */
  modifiedMs: number;
  /** Items in the order they were added. */
  items: JournalItemState[];
  /** Lines in the middle that could not be read (damage, not a torn tail); their records are lost. */
  damagedLines: number;
}

export type BatchJournalRead =
  | { kind: 'ok'; state: BatchJournalState }
  /** Written by a newer version of the extension: left for it. */
  | { kind: 'unknown-version'; file: string; version: unknown }
  /** No readable header (e.g. killed before its first line was complete, or not ours). */
  | { kind: 'damaged'; file: string; reason: string };

const KINDS = new Set(['item', 'start', 'send', 'done', 'drop']);
const ID = /^[A-Za-z0-9_-]{1,100}$/;

export function batchJournalPath(dir: string, batchId: string): string {
  if (!ID.test(batchId)) throw new Error(`Invalid batch id for the journal: ${JSON.stringify(batchId)}`);
  return path.join(dir, `${PREFIX}${batchId}${BATCH_JOURNAL_SUFFIX}`);
}

export function isBatchJournalName(name: string): boolean {
  return name.startsWith(PREFIX) && name.endsWith(BATCH_JOURNAL_SUFFIX);
}

export function encodeHeader(h: BatchHeader): string {
  return `${JSON.stringify({ batchJournal: BATCH_JOURNAL_VERSION, id: h.id, label: h.label, owner: h.owner, created: h.created })}\n`;
}

export function encodeRecord(r: BatchRecord): string {
  if (r.kind === 'item') {
    const headers = safeHeaders(r.spec.headers);
    const spec: TransferSpec = { ...r.spec };
    if (headers) spec.headers = headers;
    else delete spec.headers;
    return `${JSON.stringify({ kind: 'item', id: r.id, spec })}\n`;
  }
  return `${JSON.stringify(r)}\n`;
}

/** Folds a journal's text into its batch's state; never throws. */
export function parseBatchJournal(file: string, text: string): BatchJournalRead {
  const lines = text.split('\n');
  // Whatever follows the last newline is a line the writer did not finish.
  lines.pop();
  let first: Record<string, unknown> | undefined;
  try {
    first = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
  } catch {
    return { kind: 'damaged', file, reason: lines.length ? 'its header is not JSON' : 'it has no complete header line' };
  }
  if (!first || typeof first !== 'object') return { kind: 'damaged', file, reason: 'its header is not an object' };
  if (first.batchJournal !== BATCH_JOURNAL_VERSION) return { kind: 'unknown-version', file, version: first.batchJournal };
  let header: BatchHeader;
  try {
    if (typeof first.id !== 'string' || !ID.test(first.id) || typeof first.created !== 'string') throw new Error('missing id or created');
    header = { id: first.id, label: typeof first.label === 'string' ? first.label : '', owner: parseOwner(first.owner), created: first.created };
  } catch (err) {
    return { kind: 'damaged', file, reason: `bad header (${(err as Error).message})` };
  }
  const state: BatchJournalState = { file, header, ownedSince: header.created, modifiedMs: 0, items: [], damagedLines: 0 };
  const byId = new Map<string, JournalItemState>();
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue; // a writer ends a torn group with a newline before it appends again
    try {
      apply(state, byId, JSON.parse(line) as Record<string, unknown>);
    } catch {
      state.damagedLines++;
    }
  }
  return { kind: 'ok', state };
}

function apply(state: BatchJournalState, byId: Map<string, JournalItemState>, r: Record<string, unknown>): void {
  if (r.kind === 'owner') {
    state.header.owner = parseOwner(r.owner);
    if (typeof r.at === 'string') state.ownedSince = r.at;
    return;
  }
  // A kind a newer version writes: not ours to understand.
  if (!KINDS.has(r.kind as string)) return;
  if (typeof r.id !== 'string' || !ID.test(r.id)) throw new Error('bad id');
  if (r.kind === 'item') {
    if (!byId.has(r.id)) {
      const it: JournalItemState = { id: r.id, spec: parseSpec(r.spec), sent: false, done: false, dropped: false };
      byId.set(r.id, it);
      state.items.push(it);
    }
    return;
  }
  const it = byId.get(r.id);
  if (!it) return; // a record of an item whose own line was lost: nothing to restore from it
  switch (r.kind) {
    case 'start':
      if (typeof r.cptPath !== 'string' || typeof r.endpoint !== 'string') throw new Error('bad start');
      it.cptPath = r.cptPath;
      it.endpoint = r.endpoint;
      break;
    case 'send':
      if (!it.done) it.sent = true;
      break;
    case 'done':
      it.done = true;
      it.sent = false;
      break;
    case 'drop':
      it.dropped = true;
      break;
  }
}

export interface BatchJournalListing {
  journals: BatchJournalState[];
  unknownVersion: Array<{ file: string; version: unknown }>;
  damaged: Array<{ file: string; reason: string }>;
}

/** Every batch journal in the folder; a missing folder has none. */
export async function readBatchJournals(dir: string): Promise<BatchJournalListing> {
  const out: BatchJournalListing = { journals: [], unknownVersion: [], damaged: [] };
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const name of names.sort()) {
    if (!isBatchJournalName(name)) continue;
    const file = path.join(dir, name);
    let text: string;
    let modifiedMs = 0;
    try {
      modifiedMs = (await fsp.stat(file)).mtimeMs;
      text = await fsp.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // finished meanwhile
      out.damaged.push({ file, reason: `unreadable (${(err as Error).message})` });
      continue;
    }
    const r = parseBatchJournal(file, text);
    if (r.kind === 'ok') {
      if (batchJournalPath(dir, r.state.header.id) !== file) out.damaged.push({ file, reason: `its batch id ${r.state.header.id} does not match the file name` });
      else out.journals.push({ ...r.state, modifiedMs });
    } else if (r.kind === 'unknown-version') out.unknownVersion.push({ file, version: r.version });
    else out.damaged.push({ file, reason: r.reason });
  }
  return out;
}
