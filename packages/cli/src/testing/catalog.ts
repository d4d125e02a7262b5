// Reading a harvested catalog back in the CLI's harvest tests.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadParquet } from '@radlab/imaging/node';

/** Every row of one catalog table (all its partition files). */
export async function catalogTable(dest: string, name: string): Promise<Record<string, unknown>[]> {
  const { fromParquet } = await loadParquet();
  const rows: Record<string, unknown>[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.parquet')) rows.push(...fromParquet(readFileSync(p)));
    }
  };
  walk(join(dest, name));
  return rows;
}

/** Every name and byte under a folder, as one string to search for PHI. */
export function everyByte(dir: string): string {
  let text = '';
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    text += e + '\n';
    text += statSync(p).isDirectory() ? everyByte(p) : readFileSync(p).toString('latin1');
  }
  return text;
}
