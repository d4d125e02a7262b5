// The local stack's real HDFS from the UI tests' side: its HttpFS REST (WebHDFS's API, data in the
// same request), to prepare files and check what a host wrote. No Radlab code on this path.

export const HTTPFS = `http://127.0.0.1:${process.env.RADLAB_HTTPFS_PORT ?? '14000'}`;
export const HDFS_USER = process.env.RADLAB_HDFS_USER ?? 'radlab';
export const HDFS_HOME = `/user/${HDFS_USER}`;

function url(path: string, op: string, extra = ''): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `${HTTPFS}/webhdfs/v1${encoded}?op=${op}&user.name=${HDFS_USER}${extra}`;
}

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function hdfsMkdir(path: string): Promise<void> {
  await json(await fetch(url(path, 'MKDIRS'), { method: 'PUT' }), `MKDIRS ${path}`);
}

export async function hdfsWrite(path: string, body: string | Uint8Array): Promise<void> {
  const put = await fetch(url(path, 'CREATE', '&overwrite=true&data=true'), {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream' },
    body
  });
  if (!put.ok) throw new Error(`CREATE ${path}: HTTP ${put.status} ${await put.text()}`);
}

export async function hdfsRead(path: string): Promise<string> {
  const r = await fetch(url(path, 'OPEN'));
  if (!r.ok) throw new Error(`OPEN ${path}: HTTP ${r.status}`);
  return r.text();
}

export async function hdfsStat(
  path: string
): Promise<{ length: number; modificationTime: number; type: string } | undefined> {
  const r = await fetch(url(path, 'GETFILESTATUS'));
  if (r.status === 404) return undefined;
  return (
    await json<{ FileStatus: { length: number; modificationTime: number; type: string } }>(
      r,
      `GETFILESTATUS ${path}`
    )
  ).FileStatus;
}

export async function hdfsDelete(path: string): Promise<void> {
  await fetch(url(path, 'DELETE', '&recursive=true'), { method: 'DELETE' });
}
