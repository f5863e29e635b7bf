// The elements of the Buckets tree. Each node knows its parent (for reveal) and how it looks.
// Labels are the plain object / prefix / bucket / profile names; the end-to-end tests find items by them.
import * as vscode from 'vscode';
import type { ObjectSummary } from '../../oss/types.js';
import type { ErrorAdvice } from '../presentation/errorAdvice.js';
import { keyBaseName } from '../../transfer/paths/keyPath.js';
import { kindLabel, kindOf, type Profile } from '../profiles/profile.js';
import { objectDescription, objectTooltipLines } from '../presentation/objectFormat.js';

export type TreeNode = ProfileNode | BucketNode | PrefixNode | ObjectNode | LoadMoreNode | MessageNode;
/** Nodes that hold objects: uploads, create folder and filters target these. */
export type ContainerNode = BucketNode | PrefixNode;

export class ProfileNode {
  readonly kind = 'profile';
  readonly parent = undefined;
  /** The current profile (Switch Profile): marked in the tree. */
  current = false;
  constructor(public profile: Profile) {}
  get id(): string {
    return `profile|${this.profile.id}`;
  }
  get profileId(): string {
    return this.profile.id;
  }
  toTreeItem(): vscode.TreeItem {
    const p = this.profile;
    const item = new vscode.TreeItem(p.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const env = p.source === 'env';
    item.contextValue = `${env ? 'profile.env' : 'profile.user'}${this.current ? ' current' : ''}`;
    item.iconPath = new vscode.ThemeIcon(this.current ? 'pass-filled' : env ? 'terminal' : 'account');
    const where = p.endpoint ?? p.region ?? '';
    item.description = [this.current ? vscode.l10n.t('current') : '', env ? vscode.l10n.t('environment') : '', where].filter(Boolean).join(' · ');
    const kind = kindOf(p);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMd(p.name)}**${this.current ? ` ${vscode.l10n.t('(current profile)')}` : ''}\n\n`);
    const line = (text: string): void => void md.appendMarkdown(`${text}\n\n`);
    line(vscode.l10n.t('Credentials: {0}', escapeMd(kindLabel(kind))));
    if (p.accessKeyId) line(kind === 'ramRoleArn' ? vscode.l10n.t('Base AccessKey ID: {0}', escapeMd(p.accessKeyId)) : vscode.l10n.t('AccessKey ID: {0}', escapeMd(p.accessKeyId)));
    if (p.role) line(vscode.l10n.t('Role: {0}', escapeMd(p.role.roleArn)));
    if (p.ecsRoleName) line(vscode.l10n.t('ECS role: {0}', escapeMd(p.ecsRoleName)));
    if (p.oidcTokenFile) line(vscode.l10n.t('OIDC token file: {0}', escapeMd(p.oidcTokenFile)));
    if (p.region) line(vscode.l10n.t('Region: {0}', escapeMd(p.region)));
    if (p.endpoint) line(vscode.l10n.t('Endpoint: {0}', escapeMd(p.endpoint)));
    if (p.customDomainBucket) line(vscode.l10n.t('Custom domain of bucket {0}', escapeMd(p.customDomainBucket)));
    md.appendMarkdown(vscode.l10n.t('Signature: {0}', p.signatureVersion ?? vscode.l10n.t('from settings')));
    if (p.imported) {
      md.appendMarkdown(`\n\n${vscode.l10n.t('Imported from {0} (profile {1}); kept in sync with that file.', escapeMd(p.imported.file), escapeMd(p.imported.name))}`);
    }
    if (env) {
      md.appendMarkdown(
        `\n\n${p.id === 'env' ? vscode.l10n.t('From the OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET environment variables.') : vscode.l10n.t('From environment variables.')}`,
      );
    }
    item.tooltip = md;
    const spoken = [vscode.l10n.t('OSS profile {0}', p.name)];
    if (this.current) spoken.push(vscode.l10n.t('current'));
    if (env) spoken.push(vscode.l10n.t('from the environment'));
    item.accessibilityInformation = { label: spoken.join(vscode.l10n.t(', ')) };
    return item;
  }
}

export class BucketNode {
  readonly kind = 'bucket';
  readonly prefix = '';
  filter = '';
  constructor(
    readonly parent: ProfileNode,
    readonly bucket: string,
    readonly region: string | undefined,
    readonly addedByName: boolean,
  ) {}
  get id(): string {
    return `bucket|${this.profileId}|${this.bucket}`;
  }
  get profileId(): string {
    return this.parent.profileId;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.bucket, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = `bucket${this.addedByName ? '.added' : ''}${this.filter ? '.filtered' : ''}`;
    item.iconPath = new vscode.ThemeIcon('database');
    const viaDomain = this.parent.profile.customDomainBucket === this.bucket;
    const parts = [
      this.region,
      this.addedByName ? vscode.l10n.t('added by name') : undefined,
      viaDomain ? vscode.l10n.t('custom domain') : undefined,
      this.filter ? vscode.l10n.t('filter: {0}*', this.filter) : undefined,
    ];
    item.description = parts.filter(Boolean).join(' · ');
    const name = this.region ? vscode.l10n.t('Bucket {0} ({1})', this.bucket, this.region) : vscode.l10n.t('Bucket {0}', this.bucket);
    item.tooltip = this.filter ? `${name}\n${filterLine(this.filter)}` : name;
    item.accessibilityInformation = {
      label: this.filter ? vscode.l10n.t('Bucket {0}, filtered by {1}', this.bucket, this.filter) : vscode.l10n.t('Bucket {0}', this.bucket),
    };
    return item;
  }
}

export class PrefixNode {
  readonly kind = 'prefix';
  filter = '';
  constructor(
    readonly parent: ContainerNode,
    /** The full prefix, ending in '/'. */
    readonly prefix: string,
  ) {}
  get id(): string {
    return `prefix|${this.profileId}|${this.bucket}|${this.prefix}`;
  }
  get profileId(): string {
    return this.parent.profileId;
  }
  get bucket(): string {
    return this.parent.bucket;
  }
  get name(): string {
    return keyBaseName(this.prefix);
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = `folder${this.filter ? '.filtered' : ''}`;
    item.iconPath = vscode.ThemeIcon.Folder;
    item.resourceUri = vscode.Uri.from({ scheme: 'oss-tree', path: `/${this.bucket}/${this.prefix}` });
    if (this.filter) item.description = vscode.l10n.t('filter: {0}*', this.filter);
    item.tooltip = `${this.bucket}/${this.prefix}${this.filter ? `\n${filterLine(this.filter)}` : ''}`;
    item.accessibilityInformation = {
      label: this.filter ? vscode.l10n.t('Folder {0}, filtered by {1}', this.name, this.filter) : vscode.l10n.t('Folder {0}', this.name),
    };
    return item;
  }
}

export interface HeadFacts {
  crc64?: string;
  contentType?: string;
}

export class ObjectNode {
  readonly kind = 'object';
  /** Filled on the first hover (HEAD) by resolveTreeItem. */
  head?: HeadFacts;
  constructor(
    readonly parent: ContainerNode,
    readonly summary: ObjectSummary,
  ) {}
  get id(): string {
    return `object|${this.profileId}|${this.bucket}|${this.key}`;
  }
  get profileId(): string {
    return this.parent.profileId;
  }
  get bucket(): string {
    return this.parent.bucket;
  }
  get key(): string {
    return this.summary.key;
  }
  get name(): string {
    return keyBaseName(this.key);
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = 'object';
    item.iconPath = vscode.ThemeIcon.File;
    // A resource URI lets the file icon theme pick an icon from the extension.
    item.resourceUri = vscode.Uri.from({ scheme: 'oss-tree', path: `/${this.bucket}/${this.key}` });
    item.description = objectDescription(this.summary.size, this.summary.lastModified);
    // Left undefined until the HEAD is known: VS Code asks resolveTreeItem only for a tooltip that is
    // undefined and keeps one given here, so a "CRC-64: loading…" set now would never be replaced.
    if (this.head) item.tooltip = this.tooltip();
    item.accessibilityInformation = { label: vscode.l10n.t('Object {0}, {1}', this.name, item.description) };
    return item;
  }
  /** The listing's facts plus, once read, the HEAD's (CRC-64, content type). */
  tooltip(): vscode.MarkdownString {
    const s = this.summary;
    const lines = objectTooltipLines({ ...s, ...(this.head ?? {}) }, false);
    return new vscode.MarkdownString(lines.join('\n\n'));
  }
}

export class LoadMoreNode {
  readonly kind = 'loadMore';
  constructor(readonly parent: ContainerNode) {}
  get id(): string {
    return `more|${this.parent.id}`;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = 'loadMore';
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: 'ossTransfer.loadMore', title: vscode.l10n.t('Load More'), arguments: [this] };
    item.tooltip = vscode.l10n.t('List the next page of objects');
    return item;
  }
}

/** An error (with the OSS code and a next step) or a plain note such as "No objects". */
export class MessageNode {
  readonly kind = 'message';
  constructor(
    readonly parent: TreeNode | undefined,
    readonly label: string,
    readonly advice?: ErrorAdvice,
    readonly note?: string,
  ) {}
  get id(): string {
    return `${this.advice ? 'error' : 'note'}|${this.parent?.id ?? ''}|${this.label}`;
  }
  get isError(): boolean {
    return this.advice !== undefined;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = this.advice ? 'error' : 'message';
    if (this.advice) {
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
      item.description = [this.advice.code, this.advice.status ? vscode.l10n.t('HTTP {0}', this.advice.status) : undefined].filter(Boolean).join(' · ');
      const md = new vscode.MarkdownString();
      md.appendText(this.advice.summary + '.');
      if (this.advice.nextStep) md.appendMarkdown('\n\n').appendText(this.advice.nextStep);
      if (this.advice.requestId) md.appendMarkdown('\n\n').appendText(vscode.l10n.t('Request id: {0}', this.advice.requestId));
      md.appendMarkdown('\n\n').appendText(this.advice.detail);
      item.tooltip = md;
      item.accessibilityInformation = {
        label: this.advice.nextStep ? vscode.l10n.t('Error: {0}. {1}', this.label, this.advice.nextStep) : vscode.l10n.t('Error: {0}', this.label),
      };
    } else {
      item.iconPath = new vscode.ThemeIcon('info');
      if (this.note) item.tooltip = this.note;
    }
    return item;
  }
}

function filterLine(filter: string): string {
  return vscode.l10n.t('Showing keys starting with "{0}"', filter);
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
