// One shared "OSS" LogOutputChannel; components get child loggers so every line says who wrote it.
// The channel's own level filter (set by the user with "Developer: Set Log Level") decides what shows.
import type * as vscode from 'vscode';
import { describeError } from './presentation/errorAdvice.js';

export class Logger {
  constructor(
    private readonly channel: vscode.LogOutputChannel,
    private readonly component?: string,
  ) {}

  /** A logger for a sub-component; its lines are prefixed `[parent/child]`. */
  child(component: string): Logger {
    return new Logger(this.channel, this.component ? `${this.component}/${component}` : component);
  }

  trace(msg: string): void {
    this.channel.trace(this.format(msg));
  }
  debug(msg: string): void {
    this.channel.debug(this.format(msg));
  }
  info(msg: string): void {
    this.channel.info(this.format(msg));
  }
  warn(msg: string): void {
    this.channel.warn(this.format(msg));
  }
  error(msg: string | Error): void {
    if (typeof msg === 'string') {
      this.channel.error(this.format(msg));
      return;
    }
    // Keep the OSS fields (code, status, request id) and causes that error objects carry; the stack goes to debug.
    this.channel.error(this.format(describeError(msg).detail));
    if (msg.stack) this.channel.debug(this.format(msg.stack));
  }

  /** Reveal the channel (used by "Show Log"). */
  show(): void {
    this.channel.show(true);
  }

  private format(msg: string): string {
    return this.component ? `[${this.component}] ${msg}` : msg;
  }
}
