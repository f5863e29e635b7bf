// Downloads and deletes act on selected objects and whole folders: this lists every selected
// folder fully (a cancellable notification with a running count, only when there is a folder),
// grouped by profile and bucket since a multi-selection may span buckets.
import * as vscode from 'vscode';
import type { ObjectSummary } from '../../oss/types.js';
import { listAllObjects } from '../../transfer/listing/listAllObjects.js';
import type { TreeNode } from '../tree/treeNodes.js';
import type { CommandContext } from './commandContext.js';
import { progressIfNeeded } from './progressIfNeeded.js';

export type ObjectOrPrefixNode = Extract<TreeNode, { kind: 'object' | 'prefix' }>;

export interface ListedNode {
  node: ObjectOrPrefixNode;
  /** For a folder, every object below it; undefined for an object node. */
  objects?: ObjectSummary[];
}

export interface ListedGroup {
  profileId: string;
  bucket: string;
  nodes: ListedNode[];
}

export function objectOrPrefixNodes(nodes: readonly TreeNode[]): ObjectOrPrefixNode[] {
  return nodes.filter((n): n is ObjectOrPrefixNode => n.kind === 'object' || n.kind === 'prefix');
}

/** The selection grouped by profile and bucket in selection order, folders listed; undefined if the user cancelled. */
export async function listSelection(ctx: CommandContext, nodes: readonly ObjectOrPrefixNode[], title: string): Promise<ListedGroup[] | undefined> {
  const groups = new Map<string, ListedGroup>();
  const listed = await progressIfNeeded(
    nodes.some((n) => n.kind === 'prefix'),
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      try {
        for (const n of nodes) {
          const gk = `${n.profileId}|${n.bucket}`;
          let g = groups.get(gk);
          if (!g) groups.set(gk, (g = { profileId: n.profileId, bucket: n.bucket, nodes: [] }));
          if (n.kind === 'object') {
            g.nodes.push({ node: n });
          } else {
            const client = await ctx.clients.clientFor(n.profileId, n.bucket);
            const objects = await listAllObjects(client, n.bucket, n.prefix, {
              signal: ac.signal,
              onPage: (count) => progress.report({ message: `${n.name}/: ${count} objects` }),
            });
            g.nodes.push({ node: n, objects });
          }
        }
        return !token.isCancellationRequested;
      } finally {
        sub.dispose();
      }
    },
  );
  return listed ? [...groups.values()] : undefined;
}
