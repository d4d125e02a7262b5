// Open in viewer from a Drill result (issue 17 item 7) in the lab: @radlab/ui decides which cells have
// images and where they are (imageTarget / locateImages, catalog rows looked up on the result's Drill
// connection); this opens the place, a folder as a DICOM series, a file with the image viewer.
// The Drill result renderer is a mime extension without the app, so the imaging plugin hands the
// opener to it here (one module of the same bundle): no opener, no Viewer button.
import { PageConfig } from '@jupyterlab/coreutils';
import { locateImages, pacsLocation, type CatalogQuery, type ImageTarget } from '@radlab/ui';

export type ImageOpener = (target: ImageTarget, connection?: string) => void;

let opener: ImageOpener | undefined;

/** The imaging plugin's opener (set at its activation). */
export function setImageOpener(open: ImageOpener | undefined): void {
  opener = open;
}

/** What a result grid passes as `onOpenInViewer`, or undefined while there is no viewer. */
export function viewerOption(
  connection: () => string | undefined
): { onOpenInViewer: (target: ImageTarget) => void } | Record<string, never> {
  if (!opener) return {};
  return { onOpenInViewer: target => opener?.(target, connection()) };
}

/**
 * An absolute path as the Jupyter server names it (relative to its root), or undefined when it
 * is outside that root. Relative paths are the server's already.
 */
export function serverPath(
  path: string,
  root = PageConfig.getOption('serverRoot')
): string | undefined {
  if (!path.startsWith('/')) return path;
  const base = root.replace(/\/+$/, '');
  if (!base.startsWith('/')) return undefined;
  if (path === base) return '';
  return path.startsWith(base + '/') ? path.slice(base.length + 1) : undefined;
}

export interface OpenDeps {
  query(connection: string | undefined): CatalogQuery | undefined;
  openFolder(path: string): void;
  openFile(path: string): void;
  /** A series of a catalog harvested from a PACS (pacs:<connection>/studies/…/series/…). */
  openPacs?(connection: string, study: string, series: string): void;
  error(message: string): void;
  /** The server's root folder (default: the page's serverRoot). */
  root?: string;
}

/** Finds and opens a target's images; says why not (never throws). */
export async function openTarget(
  target: ImageTarget,
  connection: string | undefined,
  deps: OpenDeps
): Promise<void> {
  const where = await locateImages(target, deps.query(connection));
  if ('error' in where) return deps.error(where.error);
  const pacs = pacsLocation(where.path);
  if (pacs) {
    if (!deps.openPacs)
      return deps.error('This series is on a PACS, which this viewer cannot open.');
    return deps.openPacs(pacs.connection, pacs.study, pacs.series);
  }
  const path = deps.root === undefined ? serverPath(where.path) : serverPath(where.path, deps.root);
  if (path === undefined)
    return deps.error(`${where.path} is outside the Jupyter server's root folder.`);
  if (where.kind === 'folder') deps.openFolder(path);
  else deps.openFile(path);
}
