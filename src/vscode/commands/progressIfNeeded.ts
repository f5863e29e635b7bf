// Runs a task under a progress notification only when it may take a while (it lists folders);
// otherwise a notification would flash up and linger for work that is already done.
import * as vscode from 'vscode';

type Task<T> = (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Promise<T>;

export async function progressIfNeeded<T>(needed: boolean, options: vscode.ProgressOptions, task: Task<T>): Promise<T> {
  if (needed) return vscode.window.withProgress(options, task);
  const source = new vscode.CancellationTokenSource();
  try {
    return await task({ report: () => undefined }, source.token);
  } finally {
    source.dispose();
  }
}
