// Test-only: a pointer event as jsdom can make it (it has no PointerEvent: a MouseEvent with an id).
export function firePointer(
  target: EventTarget,
  type: string,
  x: number,
  y: number,
  init: MouseEventInit = {}
): void {
  const e = new MouseEvent(type, {
    bubbles: true,
    cancelable: true,
    clientX: x,
    clientY: y,
    ...init
  });
  Object.defineProperty(e, 'pointerId', { value: 1 });
  target.dispatchEvent(e);
}
