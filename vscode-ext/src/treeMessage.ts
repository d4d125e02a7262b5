import * as vscode from 'vscode';

/** A row of a Radlab tree that only says something ("Empty folder", a service's error and its hint). */
export function treeMessageItem(text: string, error = false): vscode.TreeItem {
  const item = new vscode.TreeItem(text);
  item.iconPath = new vscode.ThemeIcon(error ? 'error' : 'info');
  item.tooltip = text;
  return item;
}
