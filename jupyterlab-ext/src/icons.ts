// Radlab's sidebar icon (the same as the VS Code activity-bar icon): a scan frame with a pulse line.
// `jp-icon3` + a `stroke` attribute lets the lab theme colour the strokes.
import { LabIcon } from '@jupyterlab/ui-components';

const RADLAB_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g fill="none" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
    <g class="jp-icon3 rl-icon-stroke" stroke="#616161">
      <path d="M4 8V5a1 1 0 0 1 1-1h3M16 4h3a1 1 0 0 1 1 1v3M20 16v3a1 1 0 0 1-1 1h-3M8 20H5a1 1 0 0 1-1-1v-3"/>
      <path d="M6.5 12h3l1.5-3.5 2 7 1.5-3.5h3"/>
    </g>
  </g>
</svg>`;

export const radlabIcon = new LabIcon({ name: 'radlab:radlab', svgstr: RADLAB_SVG });

// A files connection's drive in the lab file browser: a folder with a cylinder (a cluster's storage).
const DRIVE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g fill="none" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
    <g class="jp-icon3 rl-icon-stroke" stroke="#616161">
      <path d="M3 18V6a1 1 0 0 1 1-1h5l2 2h8a1 1 0 0 1 1 1v3"/>
      <ellipse cx="17" cy="14" rx="4" ry="1.6"/>
      <path d="M13 14v5c0 .9 1.8 1.6 4 1.6s4-.7 4-1.6v-5M3 18h8"/>
    </g>
  </g>
</svg>`;

export const filesDriveIcon = new LabIcon({ name: 'radlab:files-drive', svgstr: DRIVE_SVG });
