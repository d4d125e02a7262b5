// A harvest's progress and summary as one line of text, the same in the CLI's words for both hosts'
// notifications. Browser-safe (no Node).

export interface HarvestSummaryLike {
  files: number;
  read: number;
  studies: number;
  series: number;
  instances: number;
  quality: Record<string, number>;
  profile?: string;
}

export interface HarvestProgressLike {
  files: number;
  total: number;
}

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "Harvesting exports: 1,200 of 10,000 files" (before the listing ends: "listing files…"). */
export function harvestProgressText(label: string, p: HarvestProgressLike): string {
  if (p.total === 0) return `Harvesting ${label}: listing files…`;
  return `Harvesting ${label}: ${p.files.toLocaleString('en-US')} of ${plural(p.total, 'file')}`;
}

/** "exports: 3 studies, 12 series, 640 instances (640 read); quality: 2 notDicom" */
export function harvestSummaryText(label: string, s: HarvestSummaryLike): string {
  const q = Object.entries(s.quality ?? {});
  return (
    `${label}: ${plural(s.studies, 'study', 'studies')}, ${plural(s.series, 'series', 'series')}, ` +
    `${plural(s.instances, 'instance')} (${s.read.toLocaleString('en-US')} of ` +
    `${plural(s.files, 'file')} read); quality: ` +
    (q.length
      ? q.map(([k, n]) => `${n} ${k}`).join(', ') + ' (see dfs.catalog.quality)'
      : 'no findings')
  );
}
