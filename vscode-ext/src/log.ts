// The `Radlab` log output channel. Every line goes through core's redact(): a credential that slips
// into a message, an error or a stack is masked before VS Code sees it.
import * as vscode from 'vscode';
import { Disposable } from './util/dispose.js';
import { logLine } from './util/logLine.js';

export class Log extends Disposable {
  private readonly channel: vscode.LogOutputChannel;

  constructor() {
    super();
    this.channel = this._register(vscode.window.createOutputChannel('Radlab', { log: true }));
  }

  private line(message: string, args: unknown[]): string {
    return logLine(message, args);
  }

  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(this.line(message, args));
  }
  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(this.line(message, args));
  }
  info(message: string, ...args: unknown[]): void {
    this.channel.info(this.line(message, args));
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(this.line(message, args));
  }
  error(message: string, ...args: unknown[]): void {
    this.channel.error(this.line(message, args));
  }
  show(): void {
    this.channel.show(true);
  }
}
