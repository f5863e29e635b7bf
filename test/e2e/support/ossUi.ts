// The OSS Transfer extension's own UI flows, built on the generic workbench helpers: the names here
// (container, views, menu titles, the environment profile) are the ones the extension contributes.
import type { Locator } from 'playwright-core';
import type { E2eEnvironment } from './e2eEnvironment.js';
import { waitUntil, type Workbench } from './workbench.js';

export const containerTitle = 'OSS Transfer';
export const profileLabel = 'Environment (OSS_ACCESS_KEY_ID)';

export async function openBuckets(env: E2eEnvironment): Promise<{ wb: Workbench; buckets: Locator }> {
  const wb = env.wb;
  await wb.openContainer(containerTitle);
  const buckets = await wb.expandPane('Buckets');
  return { wb, buckets };
}

export async function openTransfers(env: E2eEnvironment): Promise<{ wb: Workbench; transfers: Locator }> {
  const wb = env.wb;
  await wb.openContainer(containerTitle);
  const transfers = await wb.expandPane('Transfers');
  return { wb, transfers };
}

/** Expands profile -> bucket -> folders along `path` (the last element is the row returned, not expanded). */
export async function revealInBuckets(env: E2eEnvironment, labels: string[]): Promise<Locator> {
  const { wb, buckets } = await openBuckets(env);
  const chain = [profileLabel, ...labels];
  for (const label of chain.slice(0, -1)) await wb.expandRow(wb.row(buckets, label));
  const last = wb.row(buckets, chain[chain.length - 1]);
  await last.waitFor();
  return last;
}

/**
 * Explorer context menu "Upload to OSS…" on a workspace file, then the quick picks: the bucket (the only
 * profile is taken without asking), then the folder, browsed level by level, and "Upload here".
 */
export async function uploadFromExplorer(env: E2eEnvironment, fileName: string, target: { bucket: string; folder: string }): Promise<void> {
  const wb = env.wb;
  await wb.openContainer('Explorer');
  const row = wb.row(wb.page.locator('.explorer-folders-view'), fileName);
  await row.waitFor();
  await wb.contextMenu(row, 'Upload to OSS…');
  await wb.waitForQuickInputTitle(/^Bucket/);
  await wb.pick(target.bucket);
  let current = '';
  for (const segment of target.folder.split('/').filter(Boolean)) {
    await wb.waitForQuickInputTitle(`Upload to oss://${target.bucket}/${current}`);
    await wb.pick(segment);
    current += `${segment}/`;
  }
  // Each level is a new quick pick; wait for ours before accepting, or the previous level's would answer.
  await wb.waitForQuickInputTitle(`Upload to oss://${target.bucket}/${current}`);
  await wb.pick('Upload here');
}

/** Tree context menu "Download…" on an object, then the folder in VS Code's simple file dialog. */
export async function downloadFromTree(env: E2eEnvironment, labels: string[], folder: string): Promise<void> {
  const row = await revealInBuckets(env, labels);
  await env.wb.contextMenu(row, 'Download…');
  await env.wb.chooseFolderInSimpleDialog(folder);
}

/** Waits until the Transfers row of `name` matches `state` (e.g. /Done/: the file is complete and in place); returns its description. */
export async function waitForTransferState(env: E2eEnvironment, name: string, state: RegExp, timeoutMs = 120_000): Promise<string> {
  const { wb, transfers } = await openTransfers(env);
  const row = wb.row(transfers, name);
  await row.waitFor({ timeout: timeoutMs });
  let last = '';
  await waitUntil(async () => state.test((last = await wb.rowDescription(row))), `the Transfers row of ${name} to match ${state}`, timeoutMs, 250);
  return last;
}
