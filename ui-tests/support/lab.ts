// Helpers for the JupyterLab UI tests: a lab command run in the page, as a user's shortcut would.
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';

/** Runs command `id` in the lab; resolves with its result when that is a string (e.g. a copied path). */
export async function labCommand(
  page: IJupyterLabPageFixture,
  id: string,
  args: object = {}
): Promise<string | undefined> {
  return page.evaluate(
    ({ id, args }) =>
      (
        window as unknown as {
          jupyterapp: { commands: { execute(id: string, args: object): Promise<unknown> } };
        }
      ).jupyterapp.commands
        .execute(id, args)
        .then(r => (typeof r === 'string' ? r : undefined)),
    { id, args }
  );
}

/**
 * Opens `path` in the lab's own file browser. Galata's `filebrowser.openDirectory` clicks the first
 * `.jp-FileBrowser` in the page, which is a hidden HDFS drive browser once files connections exist.
 */
export async function openLabFolder(page: IJupyterLabPageFixture, path: string): Promise<void> {
  await labCommand(page, 'filebrowser:go-to-path', { path: `/${path}` });
  await page
    .locator('#filebrowser .jp-BreadCrumbs-item', { hasText: path.split('/').pop() })
    .first()
    .waitFor();
}
