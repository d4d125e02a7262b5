// The page of the Radlab webview panels (the imaging viewer, the GPU panel; the Drill result panel
// still writes its own): one bundled script from dist/webview with a per-load nonce, its stylesheet,
// and a strict CSP (nothing but the extension's own files; a panel adds the sources it needs, e.g. the
// codecs' 'wasm-unsafe-eval').
import * as vscode from 'vscode';

export function nonce(): string {
  const bytes = new Uint8Array(18);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[+/=]/g, '');
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
  );
}

export interface WebviewPageOptions {
  /** dist/webview/<name>.js and <name>.css. */
  bundle: string;
  title: string;
  bodyClass?: string;
  /** Markup before the script (already escaped). */
  body?: string;
  /** More script sources than the nonce, e.g. 'wasm-unsafe-eval'. */
  scriptSources?: string[];
  /** More image sources than the extension and data:, e.g. blob:. */
  imageSources?: string[];
  /** More directives, with `{src}` for the webview's own source. */
  directives?: string[];
}

export function webviewPage(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  options: WebviewPageOptions
): string {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, `${options.bundle}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, `${options.bundle}.css`));
  const n = nonce();
  const src = webview.cspSource;
  const csp = [
    "default-src 'none'",
    ['img-src', src, ...(options.imageSources ?? []), 'data:'].join(' '),
    `style-src ${src}`,
    `font-src ${src}`,
    ['script-src', `'nonce-${n}'`, ...(options.scriptSources ?? [])].join(' '),
    ...(options.directives ?? []).map(d => d.replace(/\{src\}/g, src))
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${style.toString()}">
<title>${escapeHtml(options.title)}</title>
</head>
<body${options.bodyClass ? ` class="${options.bodyClass}"` : ''}>
${options.body ?? ''}<script nonce="${n}" type="module" src="${script.toString()}"></script>
</body>
</html>`;
}
