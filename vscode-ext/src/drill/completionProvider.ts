// SQL completion in `sql` documents: Drill keywords and the names of the document's Drill connection
// (schemas, then tables after `schema.`, columns after `schema.table.`), loaded on demand through the
// DrillService cache (Radlab: Refresh Drill Schemas forgets it).
import * as vscode from 'vscode';
import type { Log } from '../log.js';
import { buildCompletions, completionContext, type CompletionKind } from './completion.js';
import type { DrillRunner } from './runner.js';
import type { DrillService } from './service.js';

const KINDS: Record<CompletionKind, vscode.CompletionItemKind> = {
  keyword: vscode.CompletionItemKind.Keyword,
  schema: vscode.CompletionItemKind.Module,
  table: vscode.CompletionItemKind.Struct,
  column: vscode.CompletionItemKind.Field
};

export class DrillCompletionProvider implements vscode.CompletionItemProvider {
  constructor(
    private readonly service: DrillService,
    private readonly runner: DrillRunner,
    private readonly log: Log
  ) {}

  async provideCompletionItems(
    doc: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken
  ): Promise<vscode.CompletionItem[]> {
    const linePrefix = doc.lineAt(position.line).text.slice(0, position.character);
    const context = completionContext(linePrefix);
    const connection = await this.runner.connectionForCompletion(doc.uri);
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      if (connection) {
        const signal = controller.signal;
        const schemas = (await this.service.schemas(connection, signal)).map(s => s.name);
        const path = context.qualifier.join('.').toLowerCase();
        const schema = schemas.find(s => s.toLowerCase() === path);
        if (schema) await this.service.tables(connection, schema, signal);
        else if (context.qualifier.length >= 2) {
          // schema.table: the schema is every part but the last
          const s = schemas.find(
            x => x.toLowerCase() === context.qualifier.slice(0, -1).join('.').toLowerCase()
          );
          if (s) {
            const tables = await this.service.tables(connection, s, signal);
            const table = tables.find(
              tb => tb.name.toLowerCase() === context.qualifier.at(-1)!.toLowerCase()
            );
            if (table) await this.service.columns(connection, s, table.name, signal);
          }
        }
      }
    } catch (err) {
      if (!token.isCancellationRequested)
        this.log.debug('SQL completion: Drill introspection failed', err);
    } finally {
      sub.dispose();
    }
    const cache = connection
      ? this.service.known(connection)
      : { tables: new Map(), columns: new Map() };
    const range = new vscode.Range(
      position.line,
      context.wordStart,
      position.line,
      position.character
    );
    return buildCompletions(context, cache).map(entry => {
      const item = new vscode.CompletionItem(
        { label: entry.label, description: entry.detail },
        KINDS[entry.kind]
      );
      item.insertText = entry.insertText;
      item.sortText = entry.sortText;
      item.filterText = linePrefix.slice(context.wordStart).startsWith('`')
        ? `\`${entry.label}`
        : entry.label;
      item.range = range;
      item.detail = entry.detail;
      return item;
    });
  }
}
