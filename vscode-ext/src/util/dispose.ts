// Lifetime helpers in the style of vscode-pull-request-github: an object owns what it _register()s and
// disposes all of it, once. No `vscode` import, so pure modules and tests can use it too.

export interface IDisposable {
  dispose(): void;
}

export function toDisposable(dispose: () => void): IDisposable {
  let done = false;
  return {
    dispose() {
      if (!done) {
        done = true;
        dispose();
      }
    }
  };
}

/** Disposes every item, even if some throw; rethrows the first error afterwards. */
export function disposeAll(disposables: Iterable<IDisposable>): void {
  let first: unknown;
  for (const d of disposables) {
    try {
      d.dispose();
    } catch (err) {
      first ??= err;
    }
  }
  if (first !== undefined) throw first;
}

export abstract class Disposable implements IDisposable {
  private _disposed = false;
  private _disposables: IDisposable[] = [];

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    const list = this._disposables.reverse();
    this._disposables = [];
    disposeAll(list);
  }

  protected get isDisposed(): boolean {
    return this._disposed;
  }

  /** Takes ownership of `value`; if this object is already disposed, `value` is disposed at once. */
  protected _register<T extends IDisposable>(value: T): T {
    if (this._disposed) {
      value.dispose();
    } else {
      this._disposables.push(value);
    }
    return value;
  }
}
