import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HotReload, startHotReload } from '../../src/cockpit/hot-reload.js';
import { createKplDeaggregate } from '../../src/handlers/kpl-deaggregate.js';
import { createInvoker, type Invoker } from '../../src/runtime/invoker.js';
import type { Adapters } from '../../src/targets/adapters.js';

/**
 * Hot reload over a copy of `src/` (inside the project so packages resolve): edits to the copy's handler and to
 * the domain code it imports swap the function in the invoker; broken code leaves the previous version serving.
 */
let root: string;
let invoker: Invoker;
let reload: HotReload;
const event = {
  invocationId: 'i',
  deliveryStreamArn: 'arn:aws:firehose:us-east-1:0:deliverystream/d',
  region: 'us-east-1',
  records: [{ recordId: '1', approximateArrivalTimestamp: 0, data: 'eA==' }],
};
const handlerFile = () => join(root, 'src/handlers/kpl-deaggregate.ts');

async function edit(file: string, from: string, to: string) {
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  await writeFile(file, text.replace(from, to));
}

beforeAll(async () => {
  await mkdir('.octember', { recursive: true });
  root = await mkdtemp(join(process.cwd(), '.octember', 'hot-reload-test-'));
  await cp('src', join(root, 'src'), { recursive: true });
  await cp('tsconfig.json', join(root, 'tsconfig.json'));
  invoker = createInvoker();
  invoker.register('kpl-deaggregate', createKplDeaggregate());
  reload = await startHotReload({
    invoker,
    adapters: { settings: {} } as unknown as Adapters,
    root,
    typecheck: true,
    debounceMs: 10,
  });
});

afterAll(async () => {
  await reload?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('hot reload', () => {
  it('serves a changed handler without restarting anything', async () => {
    await edit(
      handlerFile(),
      'return { records };',
      "return { records, reloaded: 'handler' } as FirehoseTransformationResult;",
    );
    const report = await reload.settled();
    expect(report).toMatchObject({
      status: 'ok',
      reloaded: ['kpl-deaggregate'],
      files: ['src/handlers/kpl-deaggregate.ts'],
    });
    expect(await invoker.invoke('kpl-deaggregate', event)).toMatchObject({ reloaded: 'handler' });
  }, 120_000);

  it('reloads the handlers that import a changed domain module', async () => {
    await edit(
      join(root, 'src/domain/kpl.ts'),
      'export function isAggregated(data: Uint8Array): boolean {',
      'export function isAggregated(data: Uint8Array): boolean {\n  if (data.length === 1) return false;',
    );
    const report = await reload.settled();
    expect(report?.status).toBe('ok');
    expect(report?.reloaded).toContain('kpl-deaggregate');
  }, 120_000);

  it('keeps the previous version serving when the new code does not parse', async () => {
    await edit(handlerFile(), "reloaded: 'handler'", "reloaded: 'broken' +");
    const report = await reload.settled();
    expect(report).toMatchObject({ status: 'error', reloaded: [] });
    expect(report?.errors?.[0].file).toBe('src/handlers/kpl-deaggregate.ts');
    expect(await invoker.invoke('kpl-deaggregate', event)).toMatchObject({ reloaded: 'handler' });
    await edit(handlerFile(), "reloaded: 'broken' +", "reloaded: 'fixed'");
    expect((await reload.settled())?.status).toBe('ok');
    expect(await invoker.invoke('kpl-deaggregate', event)).toMatchObject({ reloaded: 'fixed' });
  }, 120_000);

  it('puts the previous version back when the new code has a type error', async () => {
    await edit(handlerFile(), "reloaded: 'fixed'", "reloaded: 'typed' as number");
    const report = await reload.settled();
    expect(report).toMatchObject({ status: 'error', rolledBack: true });
    expect(report?.errors?.[0]).toMatchObject({ file: 'src/handlers/kpl-deaggregate.ts' });
    expect(report?.errors?.[0].message).toMatch(/string.*number|number.*string/);
    expect(await invoker.invoke('kpl-deaggregate', event)).toMatchObject({ reloaded: 'fixed' });
  }, 180_000);

  it('says when a changed file is no handler code', async () => {
    await writeFile(join(root, 'src/runtime/unused-note.ts'), 'export const note = 1;\n');
    expect(await reload.settled()).toMatchObject({ status: 'ignored' });
  }, 60_000);
});
