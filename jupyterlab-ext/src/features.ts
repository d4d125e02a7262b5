// The IRadlabFeatures registry: each Radlab capability's plugin adds itself; disposing what `add`
// returned removes it (JupyterLab's registries work the same way, e.g. the table of contents').
// @lumino/disposable's IDisposable (a type only: that package comes with @lumino/widgets)
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import type { ISignal } from '@lumino/signaling';
import type { IRadlabFeature, IRadlabFeatures } from './tokens.js';

export class FeatureRegistry implements IRadlabFeatures {
  private readonly _features: IRadlabFeature[] = [];
  private readonly _changed = new Signal<this, void>(this);

  get features(): ReadonlyArray<IRadlabFeature> {
    return this._features;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get(id: string): IRadlabFeature | undefined {
    return this._features.find(f => f.id === id);
  }

  add(feature: IRadlabFeature): IDisposable {
    if (this.get(feature.id)) throw new Error(`Radlab feature "${feature.id}" is already added`);
    this._features.push(feature);
    this._changed.emit();
    const features = this._features;
    const changed = this._changed;
    return {
      get isDisposed() {
        return !features.includes(feature);
      },
      dispose() {
        const at = features.indexOf(feature);
        if (at < 0) return;
        features.splice(at, 1);
        changed.emit();
      }
    };
  }
}
