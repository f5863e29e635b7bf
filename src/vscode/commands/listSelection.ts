// Downloads, deletes and the clipboard act on selected objects and whole folders: the nodes of a
// selection they can act on.
import type { TreeNode } from '../tree/treeNodes.js';

export type ObjectOrPrefixNode = Extract<TreeNode, { kind: 'object' | 'prefix' }>;

export function objectOrPrefixNodes(nodes: readonly TreeNode[]): ObjectOrPrefixNode[] {
  return nodes.filter((n): n is ObjectOrPrefixNode => n.kind === 'object' || n.kind === 'prefix');
}
