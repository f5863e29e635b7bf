// Copy key, copy URL (the object's address, only useful for public objects or behind a CDN) and
// copy a presigned URL that works for anyone until it expires.
import * as vscode from 'vscode';
import type { CommandContext } from '../commandContext.js';
import { objectOrPrefixNodes, type ObjectOrPrefixNode } from '../listSelection.js';
import { registerCommand, targetNodes } from '../errorReportingCommand.js';
import { describeSeconds, parseExpiry } from './expiry.js';
import { objectUrl } from './objectUrl.js';

type KeyNode = ObjectOrPrefixNode;

function keyNodes(ctx: CommandContext, clicked: unknown, selected: unknown): KeyNode[] {
  const nodes = objectOrPrefixNodes(targetNodes(clicked, selected, ctx.treeView.selection));
  if (!nodes.length) throw new Error(vscode.l10n.t('Select objects or folders in the Buckets view.'));
  return nodes;
}

function keyOf(n: KeyNode): string {
  return n.kind === 'object' ? n.key : n.prefix;
}

/** `copied` is the status-bar note, such as "Copied key". */
async function copy(text: string, copied: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`$(check) ${copied}`, 3000);
}

function expiryChoices(): (vscode.QuickPickItem & { seconds?: number })[] {
  return [
    { label: vscode.l10n.t('15 minutes'), seconds: 900 },
    { label: vscode.l10n.t('1 hour'), seconds: 3600 },
    { label: vscode.l10n.t('1 day'), seconds: 86400 },
    { label: vscode.l10n.t('7 days'), description: vscode.l10n.t('the longest OSS allows'), seconds: 604800 },
    { label: vscode.l10n.t('Other…'), description: vscode.l10n.t('type a duration such as 90m or 2d') },
  ];
}

export async function askExpiry(): Promise<number | undefined> {
  const pick = await vscode.window.showQuickPick(expiryChoices(), {
    title: vscode.l10n.t('Presigned URL valid for'),
    placeHolder: vscode.l10n.t('How long may anyone with the URL download the object?'),
    ignoreFocusOut: true,
  });
  if (!pick) return undefined;
  if (pick.seconds) return pick.seconds;
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Presigned URL valid for'),
    prompt: vscode.l10n.t('Seconds, or a duration with units s, m, h, d (at most 7d)'),
    value: '2h',
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        parseExpiry(v);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
  return typed === undefined ? undefined : parseExpiry(typed);
}

export function registerClipboardCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    registerCommand('ossTransfer.copyKey', ctx.log, async (clicked?: unknown, selected?: unknown) => {
      const nodes = keyNodes(ctx, clicked, selected);
      await copy(nodes.map(keyOf).join('\n'), nodes.length === 1 ? vscode.l10n.t('Copied key') : vscode.l10n.t('Copied {0} keys', nodes.length));
    }),

    registerCommand('ossTransfer.copyUrl', ctx.log, async (clicked?: unknown, selected?: unknown) => {
      const nodes = keyNodes(ctx, clicked, selected);
      const urls: string[] = [];
      for (const n of nodes) {
        const client = await ctx.clients.clientFor(n.profileId, n.bucket);
        urls.push(objectUrl(client.bucketEndpoint(n.bucket), n.bucket, keyOf(n), ctx.clients.profile(n.profileId).customDomainBucket));
      }
      await copy(urls.join('\n'), nodes.length === 1 ? vscode.l10n.t('Copied URL') : vscode.l10n.t('Copied {0} URLs', nodes.length));
    }),

    registerCommand('ossTransfer.copyPresignedUrl', ctx.log, async (clicked?: unknown, selected?: unknown) => {
      const nodes = keyNodes(ctx, clicked, selected).filter((n) => n.kind === 'object');
      if (!nodes.length) throw new Error(vscode.l10n.t('Presigned URLs are made for objects, not folders.'));
      const seconds = await askExpiry();
      if (seconds === undefined) return;
      const urls: string[] = [];
      let credentialsExpire: Date | undefined;
      for (const n of nodes) {
        const client = await ctx.clients.clientFor(n.profileId, n.bucket);
        // Temporary credentials (STS, a RAM role) are fetched first if none are at hand.
        const signed = await client.presign({ bucket: n.bucket, key: keyOf(n), method: 'GET', expiresSeconds: seconds });
        urls.push(signed.url);
        if (signed.credentialsExpire && (!credentialsExpire || signed.credentialsExpire < credentialsExpire)) credentialsExpire = signed.credentialsExpire;
      }
      // A URL signed with temporary credentials stops working when they expire, whatever its own expiry says.
      const shortened = credentialsExpire && credentialsExpire.getTime() < Date.now() + seconds * 1000;
      // The URL carries a signature: it goes to the clipboard only, never to the log.
      ctx.log.info(`Presigned GET URL(s) made for ${nodes.map((n) => `${n.bucket}/${keyOf(n)}`).join(', ')}, ${shortened ? `valid until ${credentialsExpire!.toISOString()}` : `valid ${seconds} s`}.`);
      const one = urls.length === 1;
      const copied = shortened
        ? one
          ? vscode.l10n.t('Copied presigned URL (valid until {0}, when the temporary credentials it is signed with expire)', credentialsExpire!.toLocaleTimeString(vscode.env.language))
          : vscode.l10n.t('Copied {0} presigned URLs (valid until {1}, when the temporary credentials they are signed with expire)', urls.length, credentialsExpire!.toLocaleTimeString(vscode.env.language))
        : one
          ? vscode.l10n.t('Copied presigned URL (valid {0})', describeSeconds(seconds))
          : vscode.l10n.t('Copied {0} presigned URLs (valid {1})', urls.length, describeSeconds(seconds));
      await copy(urls.join('\n'), copied);
    }),
  ];
}
