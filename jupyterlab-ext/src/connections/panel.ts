// The left-sidebar panel: a Lumino widget hosting @radlab/ui's ConnectionsView over the model.
import { Widget } from '@lumino/widgets';
import { ConnectionsView } from '@radlab/ui';
import { radlabIcon } from '../icons.js';
import type { IRadlabConnections } from '../tokens.js';
import { summarize } from './model.js';

export class ConnectionsPanel extends Widget {
  static readonly ID = 'radlab-connections';
  private readonly model: IRadlabConnections;
  private readonly view: ConnectionsView;

  constructor(model: IRadlabConnections) {
    super();
    this.model = model;
    this.id = ConnectionsPanel.ID;
    this.addClass('rl-ConnectionsPanel');
    this.title.icon = radlabIcon;
    this.title.caption = 'Radlab';
    this.view = new ConnectionsView(this.node, {
      onRefresh: () => void this.model.refresh(),
      onCheck: name => void this.model.check(name)
    });
    this.model.changed.connect(this.render, this);
    this.render();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.model.changed.disconnect(this.render, this);
    this.view.dispose();
    super.dispose();
  }

  private render(): void {
    if (this.isDisposed) return;
    this.view.update({
      connections: this.model.connections.map(summarize),
      health: new Map(this.model.health),
      errors: [...this.model.errors],
      loading: this.model.loading
    });
  }
}
