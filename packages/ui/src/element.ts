// The one way the views make elements: text goes in as textContent, never as markup, because
// service answers, cell values and DICOM tags are untrusted.

/** A CSS custom property of the host theme as the node sees it, or `fallback` (read once per chart). */
export function cssVariable(node: Element, variable: string, fallback: string): string {
  const v = node.ownerDocument.defaultView
    ?.getComputedStyle(node)
    .getPropertyValue(variable)
    .trim();
  return v || fallback;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className?: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
