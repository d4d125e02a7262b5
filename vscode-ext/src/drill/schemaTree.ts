// The Drill view (`radlab.drillSchema`): Drill connections -> schemas -> tables and files -> columns,
// each level loaded when expanded (DrillService caches it). A failed load shows the error and its hint.
import * as vscode from 'vscode';
import type { RadlabErrorJSON } from '@radlab/core';
import { missingSecretHint } from '../connections/settings.js';
import { toErrorJSON } from '../core.js';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
import {
  columnNodes,
  connectionNodes,
  errorNodes,
  schemaNodes,
  tableNodes,
  folderNodes,
  type DrillNode
} from './schemaModel.js';
import type { DrillService } from './service.js';

const t = vscode.l10n.t;

export function toTreeItem(node: DrillNode): vscode.TreeItem {
  const item = new vscode.TreeItem(
    node.label,
    node.collapsible
      ? vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None
  );
  item.id = node.id;
  item.description = node.description;
  item.tooltip = node.tooltip;
  item.iconPath = new vscode.ThemeIcon(
    node.icon,
    node.iconColor ? new vscode.ThemeColor(node.iconColor) : undefined
  );
  item.contextValue = node.contextValue;
  item.accessibilityInformation = {
    label: node.description ? `${node.label}, ${node.description}` : node.label
  };
  return item;
}

export class DrillSchemaTreeProvider
  extends Disposable
  implements vscode.TreeDataProvider<DrillNode>
{
  private readonly _onDidChangeTreeData = this._register(
    new vscode.EventEmitter<DrillNode | undefined | void>()
  );
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  constructor(
    private readonly service: DrillService,
    private readonly log: Log
  ) {
    super();
  }

  getTreeItem(node: DrillNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  async getChildren(node?: DrillNode): Promise<DrillNode[]> {
    if (!node) {
      const connections = await this.service.connections();
      if (connections.length === 0) {
        return [
          {
            kind: 'empty',
            id: 'drill-none',
            label: t('No Drill connections: add one in the Connections view.'),
            icon: 'info',
            collapsible: false,
            contextValue: 'radlab.drill.empty',
            connection: ''
          }
        ];
      }
      return connectionNodes(connections);
    }
    try {
      switch (node.kind) {
        case 'connection':
          return schemaNodes(node.connection, await this.service.schemas(node.connection));
        case 'schema':
          return tableNodes(
            node.connection,
            node.schema!,
            await this.service.tables(node.connection, node.schema!),
            node.description
          );
        case 'table':
          if (node.tableType === 'DIRECTORY')
            return folderNodes(
              node.connection,
              node.schema!,
              node.table!,
              await this.service.folder(node.connection, node.schema!, node.table!)
            );
          return columnNodes(
            node.connection,
            node.schema!,
            node.table!,
            await this.service.columns(node.connection, node.schema!, node.table!)
          );
        default:
          return [];
      }
    } catch (err) {
      const error: RadlabErrorJSON = toErrorJSON(err, node.connection);
      if (error.code === 'config' && /no (password|token)/.test(error.message)) {
        // as in the Connections view: point at the command that stores the secret
        const config = (await this.service.connections()).find(c => c.name === node.connection);
        error.hint = missingSecretHint(config?.auth) ?? error.hint;
      }
      this.log.warn(
        `Drill view: loading ${node.label} of ${node.connection} failed: ${error.message} (hint: ${error.hint ?? ''})`
      );
      return errorNodes(node.id, node.connection, error);
    }
  }

  /** Forgets what was loaded and redraws (Refresh, configuration or secret change). */
  refresh(): void {
    this.service.reset();
    this._onDidChangeTreeData.fire();
  }
}
