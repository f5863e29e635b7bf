// The network options OSS clients are built with, from VS Code's http.* settings, the environment
// VS Code was started from, and ossTransfer.caFile (networkValues.ts turns them into options). The
// plan is worked out once (reading the system's CA store takes a moment) and again after one of
// these settings changes; the extension then rebuilds its clients, so new requests use it.
import * as vscode from 'vscode';
import type { NetworkOptions } from '../../oss/types.js';
import type { Logger } from '../logger.js';
import { httpSettingsFrom, networkPlanFor, type NetworkPlan } from './networkValues.js';

/** The settings whose change rebuilds the clients. */
export const NETWORK_SETTINGS = ['http.proxy', 'http.noProxy', 'http.proxyStrictSSL', 'http.proxyAuthorization', 'http.systemCertificates', 'ossTransfer.caFile'] as const;

export class NetworkSettings {
  private plan?: Promise<NetworkPlan>;
  private saidProblems = '';
  private saidSummary = '';

  constructor(
    private readonly caFile: () => string,
    private readonly log: Logger,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {}

  /** What the next client is built with. Rejects (with a nextStep) while http.proxy or the CA file cannot be used. */
  async options(): Promise<NetworkOptions> {
    if (!this.plan) {
      const plan = this.work();
      this.plan = plan;
      // A failed plan (a CA file not there yet) is worked out again on the next client.
      plan.catch(() => {
        if (this.plan === plan) this.plan = undefined;
      });
    }
    return (await this.plan).options;
  }

  /** Forget the plan: the next client works it out from the settings as they are now. */
  changed(): void {
    this.plan = undefined;
  }

  private async work(): Promise<NetworkPlan> {
    const http = vscode.workspace.getConfiguration('http');
    const { values, problems } = httpSettingsFrom((key) => http.get(key));
    const saidProblems = problems.join('\n');
    if (saidProblems !== this.saidProblems) {
      this.saidProblems = saidProblems;
      for (const p of problems) this.log.warn(p);
    }
    const plan = await networkPlanFor(values, this.caFile(), this.env);
    for (const w of plan.warnings) this.log.warn(w);
    if (plan.summary !== this.saidSummary) {
      this.saidSummary = plan.summary;
      this.log.info(plan.summary);
    }
    return plan;
  }
}

/** Fires when a setting that shapes the network path changes. */
export function onNetworkSettingsChange(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (NETWORK_SETTINGS.some((s) => e.affectsConfiguration(s))) listener();
  });
}
