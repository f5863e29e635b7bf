// Pure helpers on transfer specs and items: validation, identity (which runs would share a
// checkpoint), copies handed to listeners, ids, and the log wording of an error.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { errorDetail } from '../errorDetail.js';
import type { TransferItem, TransferSpec } from './transferTypes.js';

export function validateSpec(s: TransferSpec, i: number): void {
  const where = `Transfer #${i + 1}`;
  if (!s || typeof s !== 'object') throw new TypeError(`${where}: not a transfer description`);
  if (s.direction !== 'upload' && s.direction !== 'download') {
    throw new TypeError(`${where}: direction must be 'upload' or 'download' (got ${JSON.stringify(s.direction)})`);
  }
  if (typeof s.profileId !== 'string' || !s.profileId) throw new TypeError(`${where}: profileId is required`);
  if (typeof s.bucket !== 'string' || !s.bucket) throw new TypeError(`${where}: bucket is required`);
  if (typeof s.key !== 'string' || !s.key) throw new TypeError(`${where}: key is required`);
  if (typeof s.file !== 'string' || !path.isAbsolute(s.file)) {
    throw new TypeError(`${where}: file must be an absolute local path (got ${JSON.stringify(s.file)})`);
  }
  if (s.size !== undefined && !(Number.isFinite(s.size) && s.size >= 0)) throw new TypeError(`${where}: size must be a number >= 0`);
}

export function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

export function identityFields(s: TransferSpec): { direction: 'upload' | 'download'; bucket: string; key: string; file: string } {
  return { direction: s.direction, bucket: s.bucket, key: s.key, file: s.file };
}

export function identityOf(s: TransferSpec): string {
  return JSON.stringify([s.direction, s.profileId, s.bucket, s.key, path.resolve(s.file)]);
}

export function copySpec(s: TransferSpec): TransferSpec {
  return { ...s, ...(s.headers ? { headers: { ...s.headers } } : {}) };
}

export function snapshot(it: TransferItem): TransferItem {
  return { ...it };
}

export function newId(): string {
  return randomBytes(8).toString('hex');
}

export function errText(err: unknown): string {
  return errorDetail(err);
}

/** The refusal of a second run of a transfer that is queued or running (`where` says where that one is). */
export function alreadyInProgress(spec: TransferSpec, where: string): Error {
  const verb = spec.direction === 'upload' ? 'Uploading' : 'Downloading';
  return new Error(`${verb} ${spec.key} with the same local file is already in progress${where}; wait for it or cancel it first.`);
}

/** A new item of a batch, waiting in the queue at 0 bytes (its size known when the spec says it). */
export function queuedItem(spec: TransferSpec, batchId: string): TransferItem {
  return { id: newId(), spec: copySpec(spec), state: 'queued', transferredBytes: 0, totalBytes: spec.size ?? 0, bytesPerSecond: 0, batchId };
}
