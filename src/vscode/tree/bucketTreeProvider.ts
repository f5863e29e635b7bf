// The Buckets tree: profiles -> buckets (ListBuckets plus buckets added by name, or the one bucket of
// a custom-domain profile) -> prefixes and objects, listed lazily with listObjectsV2 (delimiter '/')
// one page at a time. Failures become error nodes with the OSS code and a next step instead of an
// empty tree.
import * as vscode from 'vscode';
import { ListingProgress, OssError, objectsPage } from '../../oss/index.js';
import { describeError } from '../presentation/errorAdvice.js';
import { parentPrefix } from '../../transfer/paths/keyPath.js';
import { MAX_LISTED_BUCKETS, listAllBuckets } from '../../transfer/listing/listAllBuckets.js';
import { Disposable } from '../disposable.js';
import type { Logger } from '../logger.js';
import type { ClientRegistry } from '../profiles/clientRegistry.js';
import type { ProfileStore } from '../profiles/profileStore.js';
import { adviceOptions } from '../profiles/profileAdvice.js';
import type { ExtensionSettings } from '../settings/settings.js';
import type { ExpansionMemory } from './expansionMemory.js';
import { BucketNode, LoadMoreNode, MessageNode, ObjectNode, PrefixNode, ProfileNode, type ContainerNode, type TreeNode } from './treeNodes.js';

interface Listing {
  container: ContainerNode;
  children: TreeNode[];
  token?: string;
  more: boolean;
  busy?: Promise<void>;
  /** Sees every page, so a server repeating its token ends the paging with an error. */
  progress: ListingProgress;
  /** Why the last "Load more…" failed, shown after the children until a page loads. */
  failure?: MessageNode;
}

// How far "Reveal in tree" pages through a long folder before settling for the folder itself.
const REVEAL_MAX_PAGES = 10;

export class BucketTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly profileNodes = new Map<string, ProfileNode>();
  private readonly bucketLists = new Map<string, Promise<TreeNode[]>>();
  private readonly listings = new Map<string, Promise<Listing>>();
  /** Prefix filters by container id; kept across refreshes. */
  private readonly filters = new Map<string, string>();
  /** Every container node handed out, by id (to drop their listings on refresh). */
  private readonly containerIndex = new Map<string, ContainerNode>();
  private readonly log: Logger;

  constructor(
    private readonly store: ProfileStore,
    private readonly clients: ClientRegistry,
    private readonly settings: () => ExtensionSettings,
    log: Logger,
    /** Which nodes were expanded before a reload: they open again (absent: all start collapsed). */
    private readonly expansion?: ExpansionMemory,
  ) {
    super();
    this.log = log.child('tree');
    this.register(store.onDidChange(() => this.refresh()));
    // Only the marks change: redraw the profile rows, keep every listing.
    this.register(store.onDidChangeCurrent(() => this.changed.fire(undefined)));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = node.toTreeItem();
    if (item.collapsibleState === vscode.TreeItemCollapsibleState.Collapsed && this.expansion?.isExpanded(item.id)) {
      item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    }
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.profiles();
    switch (node.kind) {
      case 'profile':
        return this.bucketsOf(node);
      case 'bucket':
      case 'prefix':
        return this.childrenOf(node);
      default:
        return [];
    }
  }

  /** Fills in CRC-64 and content type with a HEAD when the user hovers an object. */
  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind !== 'object' || node.head) return item;
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      const client = await this.clients.clientFor(node.profileId, node.bucket);
      const head = await client.headObject({ bucket: node.bucket, key: node.key, signal: ac.signal });
      node.head = {};
      if (head.crc64) node.head.crc64 = head.crc64;
      if (head.contentType) node.head.contentType = head.contentType;
      item.tooltip = node.tooltip();
    } catch (e) {
      if (!token.isCancellationRequested) {
        const tip = node.tooltip();
        tip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Details could not be read: {0}.', describeError(e).summary));
        item.tooltip = tip;
      }
    } finally {
      sub.dispose();
    }
    return item;
  }

  /** Reloads one node (and everything below it), or the whole tree. */
  refresh(node?: TreeNode): void {
    if (!node) {
      this.bucketLists.clear();
      this.listings.clear();
      this.changed.fire(undefined);
      return;
    }
    if (node.kind === 'message' || node.kind === 'object' || node.kind === 'loadMore') {
      this.refresh(node.parent);
      return;
    }
    if (node.kind === 'profile') {
      this.bucketLists.delete(node.profileId);
      this.dropListings((c) => c.profileId === node.profileId);
    } else {
      this.dropListings((c) => c.profileId === node.profileId && c.bucket === node.bucket && c.prefix.startsWith(node.prefix));
    }
    this.changed.fire(node);
  }

  /**
   * After a change made by a command (upload, delete, create folder): reloads the loaded folders of
   * `bucket` that hold `prefix` (the folder itself and its ancestors, whose sub-folder lists may
   * change) and everything below it.
   */
  refreshPrefix(profileId: string, bucket: string, prefix: string): void {
    const affected = [...this.containerIndex.values()].filter(
      (c) => c.profileId === profileId && c.bucket === bucket && (prefix.startsWith(c.prefix) || c.prefix.startsWith(prefix)),
    );
    this.dropListings((c) => affected.includes(c));
    // One event for the top-most loaded node is enough: VS Code re-reads its subtree.
    const top = affected.sort((a, b) => a.prefix.length - b.prefix.length)[0];
    if (top) this.changed.fire(top);
  }

  /**
   * Lists the next page of a container whose listing was truncated. A failure becomes an error
   * node after the children; "Load more…" stays only if trying again may help (a network error,
   * throttling), not when the server's listing does not move on.
   */
  async loadMore(container: ContainerNode): Promise<void> {
    const listing = await this.listings.get(container.id);
    if (!listing?.more) return;
    if (!listing.busy) {
      listing.busy = this.listPage(listing)
        .then(
          () => {
            delete listing.failure;
          },
          (e: unknown) => {
            const advice = describeError(e, adviceOptions(this.store.get(container.profileId)));
            this.log.warn(`Listing more of ${container.bucket}/${container.prefix} failed: ${advice.detail}`);
            listing.failure = new MessageNode(container, advice.summary, advice);
            if (!(e instanceof OssError && e.retryable)) listing.more = false;
          },
        )
        .finally(() => {
          delete listing.busy;
        });
    }
    await listing.busy;
    this.changed.fire(container);
  }

  filterOf(container: ContainerNode): string {
    return this.filters.get(container.id) ?? '';
  }

  /** Shows only keys below the container that start with `filter` ('' clears it). */
  setFilter(container: ContainerNode, filter: string): void {
    if (filter) this.filters.set(container.id, filter);
    else this.filters.delete(container.id);
    container.filter = filter;
    this.refresh(container);
  }

  /** The profile nodes, reusing node objects so expansion state survives refreshes. */
  profiles(): ProfileNode[] {
    const list = this.store.list();
    const current = this.store.current()?.id;
    const out: ProfileNode[] = [];
    for (const p of list) {
      let n = this.profileNodes.get(p.id);
      if (n) n.profile = p;
      else {
        n = new ProfileNode(p);
        this.profileNodes.set(p.id, n);
      }
      n.current = p.id === current;
      out.push(n);
    }
    for (const id of [...this.profileNodes.keys()]) if (!list.some((p) => p.id === id)) this.profileNodes.delete(id);
    return out;
  }

  /**
   * Finds (loading pages as needed) the node for `key` in a bucket: the object, or for a key
   * ending in '/' the folder; falls back to the deepest folder found. For "Reveal in tree".
   */
  async findNode(profileId: string, bucket: string, key: string): Promise<TreeNode | undefined> {
    const profile = this.profiles().find((p) => p.profileId === profileId);
    if (!profile) return undefined;
    const bucketNode = (await this.bucketsOf(profile)).find((n): n is BucketNode => n.kind === 'bucket' && n.bucket === bucket);
    if (!bucketNode) return profile;
    let container: ContainerNode = bucketNode;
    const folders: string[] = [];
    for (let p = key.endsWith('/') ? key : parentPrefix(key); p !== ''; p = parentPrefix(p)) folders.unshift(p);
    for (const folder of folders) {
      const next = await this.findChild(container, (n) => n.kind === 'prefix' && n.prefix === folder);
      if (!next || next.kind !== 'prefix') return container;
      container = next;
    }
    if (key.endsWith('/')) return container;
    return (await this.findChild(container, (n) => n.kind === 'object' && n.key === key)) ?? container;
  }

  private async findChild(container: ContainerNode, match: (n: TreeNode) => boolean): Promise<TreeNode | undefined> {
    await this.childrenOf(container);
    for (let page = 0; page < REVEAL_MAX_PAGES; page++) {
      const listing = await this.listings.get(container.id);
      const found = listing?.children.find(match);
      if (found || !listing?.more) return found;
      await this.loadMore(container);
    }
    return undefined;
  }

  private dropListings(match: (c: ContainerNode) => boolean): void {
    for (const id of [...this.listings.keys()]) {
      const c = this.containerIndex.get(id);
      if (!c || match(c)) this.listings.delete(id);
    }
  }

  private bucketsOf(profile: ProfileNode): Promise<TreeNode[]> {
    let p = this.bucketLists.get(profile.profileId);
    if (!p) {
      p = this.loadBuckets(profile);
      this.bucketLists.set(profile.profileId, p);
    }
    return p;
  }

  private async loadBuckets(profile: ProfileNode): Promise<TreeNode[]> {
    const bound = profile.profile.customDomainBucket;
    // A custom domain serves its one bucket; ListBuckets cannot go through it.
    if (bound !== undefined) return [this.bucketNode(profile, bound, profile.profile.region, false)];
    const out: TreeNode[] = [];
    const listed = new Map<string, string | undefined>();
    let failure: MessageNode | undefined;
    try {
      const client = await this.clients.client(profile.profileId);
      for (const b of await listAllBuckets(client, { limit: MAX_LISTED_BUCKETS })) listed.set(b.name, b.region || undefined);
      this.clients.markRouted(profile.profileId, [...listed.keys()]);
    } catch (e) {
      const advice = describeError(e, adviceOptions(profile.profile));
      this.log.warn(`Listing buckets of profile "${profile.profile.name}" failed: ${advice.detail}`);
      failure = new MessageNode(profile, vscode.l10n.t('Cannot list buckets: {0}', advice.summary), {
        ...advice,
        nextStep: advice.nextStep
          ? vscode.l10n.t('{0} Buckets can also be added with "Add Bucket by Name…".', advice.nextStep)
          : vscode.l10n.t('Buckets can also be added with "Add Bucket by Name…".'),
      });
    }
    if (failure) out.push(failure);
    const added = this.store.addedBuckets(profile.profileId);
    const names = new Set([...listed.keys(), ...added.map((b) => b.name)]);
    for (const name of [...names].sort()) {
      const addedInfo = added.find((b) => b.name === name);
      out.push(this.bucketNode(profile, name, listed.get(name) ?? addedInfo?.region, !listed.has(name) && !!addedInfo));
    }
    if (out.length === 0) {
      out.push(new MessageNode(profile, vscode.l10n.t('No buckets'), undefined, vscode.l10n.t('This AccessKey sees no buckets. Use "Add Bucket by Name…" for a bucket you know.')));
    }
    return out;
  }

  private bucketNode(profile: ProfileNode, name: string, region: string | undefined, addedByName: boolean): BucketNode {
    const node = new BucketNode(profile, name, region, addedByName);
    node.filter = this.filters.get(node.id) ?? '';
    this.containerIndex.set(node.id, node);
    return node;
  }

  private async childrenOf(container: ContainerNode): Promise<TreeNode[]> {
    let p = this.listings.get(container.id);
    if (!p) {
      const listing: Listing = { container, children: [], more: false, progress: new ListingProgress({ operation: 'ListObjectsV2', bucket: container.bucket }) };
      p = this.listPage(listing).then(() => listing);
      this.listings.set(container.id, p);
      this.containerIndex.set(container.id, container);
    }
    let listing: Listing;
    try {
      listing = await p;
    } catch (e) {
      // Not cached: the next expand or refresh tries again.
      if (this.listings.get(container.id) === p) this.listings.delete(container.id);
      const advice = describeError(e, adviceOptions(this.store.get(container.profileId)));
      this.log.warn(`Listing ${container.bucket}/${container.prefix} failed: ${advice.detail}`);
      return [new MessageNode(container, advice.summary, advice)];
    }
    const out = [...listing.children];
    if (listing.failure) out.push(listing.failure);
    if (listing.more) out.push(new LoadMoreNode(container));
    if (out.length === 0) {
      const filter = this.filterOf(container);
      out.push(
        filter
          ? new MessageNode(container, vscode.l10n.t('No keys start with "{0}"', filter), undefined, vscode.l10n.t('Clear the filter to see everything.'))
          : new MessageNode(container, vscode.l10n.t('No objects'), undefined, vscode.l10n.t('Upload files here, or drop them from the Explorer.')),
      );
    }
    return out;
  }

  private async listPage(listing: Listing): Promise<void> {
    const c = listing.container;
    const client = await this.clients.clientFor(c.profileId, c.bucket);
    const res = await client.listObjectsV2({
      bucket: c.bucket,
      prefix: c.prefix + this.filterOf(c),
      delimiter: '/',
      maxKeys: this.settings().pageSize,
      ...(listing.token ? { continuationToken: listing.token } : {}),
    });
    // Before anything of the page is shown: a page the server repeats adds nothing.
    const more = listing.progress.more(objectsPage(res));
    for (const prefix of res.prefixes) {
      const node = new PrefixNode(c, prefix);
      node.filter = this.filters.get(node.id) ?? '';
      this.containerIndex.set(node.id, node);
      listing.children.push(node);
    }
    for (const o of res.objects) {
      // The folder's own marker object ('photos/') is the folder, not a child of it.
      if (o.key === c.prefix) continue;
      listing.children.push(new ObjectNode(c, o));
    }
    listing.more = more;
    if (more && res.nextContinuationToken) listing.token = res.nextContinuationToken;
    else delete listing.token;
  }
}
