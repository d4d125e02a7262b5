// Radlab for JupyterLab: the connections sidebar and the IRadlabConnections service. Plugins stay thin;
// the logic is in connections/model.ts (data) and @radlab/ui (view).
import { ILayoutRestorer } from '@jupyterlab/application';
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { refreshIcon } from '@jupyterlab/ui-components';
import { ConnectionsModel } from './connections/model.js';
import { ConnectionsPanel } from './connections/panel.js';
import { radlabIcon } from './icons.js';
import { LAB_COMMANDS } from './commands.generated.js';
import { FeatureRegistry } from './features.js';
import { IRadlabConnections, IRadlabFeatures } from './tokens.js';
import { drillSqlPlugin } from './drill/plugin.js';
import { imagingPlugin } from './imaging/plugin.js';
import { filesPlugin } from './files/plugin.js';
import { livyPlugin } from './livy/plugin.js';
import { gpuPlugin } from './gpu/plugin.js';
import { jobsPlugin } from './jobs/plugin.js';

export { IRadlabConnections, IRadlabFeatures } from './tokens.js';
export type { ConnectionsReply, HealthEntry, IRadlabFeature, PublicConnection } from './tokens.js';
export { requestAPI } from './api.js';

// JupyterLab's convention for command ids (other extensions import it the same way as core's); the ids
// are declared in shared/commands.json.
export const CommandIDs = LAB_COMMANDS.connections;

const PALETTE_CATEGORY = 'Radlab';

const connectionsPlugin: JupyterFrontEndPlugin<IRadlabConnections> = {
  id: '@radlab/jupyterlab-ext:connections',
  description: 'Radlab connections: the sidebar panel and the IRadlabConnections service.',
  autoStart: true,
  provides: IRadlabConnections,
  optional: [ICommandPalette, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null
  ): IRadlabConnections => {
    // ServerConnection.makeSettings() (the page's base URL, token and XSRF cookie) equals
    // app.serviceManager.serverSettings in a normal lab; passing the latter needs one @jupyterlab/services
    // in node_modules (today npm nests a 7.6 copy under @jupyterlab/application).
    const model = new ConnectionsModel();
    const panel = new ConnectionsPanel(model);
    app.shell.add(panel, 'left', { rank: 600 });
    restorer?.add(panel, ConnectionsPanel.ID);

    app.commands.addCommand(CommandIDs.refreshConnections, {
      label: 'Refresh Radlab Connections',
      caption: 'Reload the Radlab connections and check their health',
      icon: refreshIcon,
      execute: () => model.refresh()
    });
    app.commands.addCommand(CommandIDs.openConnections, {
      label: 'Show Radlab Connections',
      caption: 'Open the Radlab connections panel',
      icon: radlabIcon,
      execute: () => app.shell.activateById(panel.id)
    });
    if (palette) {
      palette.addItem({ command: CommandIDs.refreshConnections, category: PALETTE_CATEGORY });
      palette.addItem({ command: CommandIDs.openConnections, category: PALETTE_CATEGORY });
    }

    // Not awaited: loading and checking connections must not hold up the lab's startup.
    model.start().catch((reason: unknown) => {
      console.error(
        'Radlab: loading connections failed:',
        reason instanceof Error ? reason.message : reason
      );
    });
    return model;
  }
};

export { DrillCommandIDs } from './drill/plugin.js';
export { ImagingCommandIDs } from './imaging/plugin.js';
export { LivyCommandIDs } from './livy/plugin.js';
export { GpuCommandIDs } from './gpu/plugin.js';
export { JobsCommandIDs } from './jobs/plugin.js';

/** The IRadlabFeatures registry that the capability plugins add themselves to. */
const featuresPlugin: JupyterFrontEndPlugin<IRadlabFeatures> = {
  id: '@radlab/jupyterlab-ext:features',
  description:
    'Radlab features: the registry each capability (Drill SQL, imaging, …) adds itself to.',
  autoStart: true,
  provides: IRadlabFeatures,
  activate: (): IRadlabFeatures => new FeatureRegistry()
};

export default [
  featuresPlugin,
  connectionsPlugin,
  drillSqlPlugin,
  imagingPlugin,
  livyPlugin,
  gpuPlugin,
  filesPlugin,
  jobsPlugin
];
