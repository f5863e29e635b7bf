// Fault rules: tests add a match + action; the first live rule matching a request fires once per
// request until its count is used up.
import type { FaultAction, FaultController, FaultMatch, OpName } from './serverTypes.js';

interface Rule {
  id: string;
  match: FaultMatch;
  action: FaultAction;
  remaining: number;
}

export interface FaultTarget {
  op: OpName;
  bucket?: string;
  key?: string;
  partNumber?: number;
}

function validateAction(action: FaultAction): void {
  const bad = (why: string) => {
    throw new TypeError(`fault action ${JSON.stringify(action.type)}: ${why}`);
  };
  switch (action.type) {
    case 'reset':
      if (!Number.isInteger(action.afterBytes) || action.afterBytes < 0) bad('afterBytes must be an integer >= 0');
      break;
    case 'status':
      if (!Number.isInteger(action.status) || action.status < 300 || action.status > 599) bad('status must be 300..599');
      break;
    case 'stall':
      if (!(action.ms >= 0)) bad('ms must be >= 0');
      if (action.afterBytes !== undefined && (!Number.isInteger(action.afterBytes) || action.afterBytes < 0)) {
        bad('afterBytes must be an integer >= 0');
      }
      break;
    case 'replaceObject':
      if (!Buffer.isBuffer(action.content)) bad('content must be a Buffer');
      break;
    case 'forgetUpload':
      break;
    case 'pace':
      if (!(action.bytesPerSecond > 0) || !Number.isFinite(action.bytesPerSecond)) bad('bytesPerSecond must be a number above 0');
      break;
    default:
      bad('unknown fault type');
  }
}

export class Faults implements FaultController {
  private rules: Rule[] = [];
  private readonly hitCounts = new Map<string, number>();
  private nextId = 1;

  add(match: FaultMatch, action: FaultAction, times = 1): string {
    validateAction(action);
    if (!(times >= 1)) throw new TypeError('fault times must be >= 1 (or Infinity)');
    const id = `fault-${this.nextId++}`;
    this.rules.push({ id, match: { ...match }, action, remaining: times });
    this.hitCounts.set(id, 0);
    return id;
  }

  remove(id: string): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  hits(id: string): number {
    return this.hitCounts.get(id) ?? 0;
  }

  /** The action to apply to this request, if a rule matches; counts the hit. */
  take(t: FaultTarget): FaultAction | undefined {
    const rule = this.rules.find((r) => matches(r.match, t));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.remove(rule.id);
    this.hitCounts.set(rule.id, (this.hitCounts.get(rule.id) ?? 0) + 1);
    return rule.action;
  }
}

function matches(m: FaultMatch, t: FaultTarget): boolean {
  if (m.op !== undefined && !(Array.isArray(m.op) ? m.op.includes(t.op) : m.op === t.op)) return false;
  if (m.bucket !== undefined && m.bucket !== t.bucket) return false;
  if (m.key !== undefined && m.key !== t.key) return false;
  if (m.partNumber !== undefined && m.partNumber !== t.partNumber) return false;
  return true;
}
