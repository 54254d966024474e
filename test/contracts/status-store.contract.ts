// The StatusStore port's contract, run against every adapter (memory, Redis, ...).
import { describe, expect, it } from 'vitest';
import type { ImageStatusRecord, StatusStore } from '../../src/ports/index.js';
import { useFixture } from './fixture.js';

export interface StatusStoreFixture {
  status: StatusStore;
  close?(): Promise<void>;
}

const fields = {
  name: 'Edy Kim',
  job_title: 'CTO',
  company: null,
  email: 'edy@example.com',
  phone_number: '+82 10 1234 5678',
  phones: [{ number: '+82 10 1234 5678', kind: 'mobile' as const }],
  addr: null,
  url: null,
};

const started: ImageStatusRecord = {
  imageId: 'edy_a1.jpg',
  status: 'START',
  s3_bucket: 'octember-bizcard',
  s3_key: 'bizcard-raw-img/edy_a1.jpg',
  owner: 'edy',
  data: null,
  updated_at: '2026-01-01T00:00:00.000Z',
};

export function statusStoreContract(name: string, setup: () => Promise<StatusStoreFixture>): void {
  describe(`StatusStore contract: ${name}`, () => {
    const fixture = useFixture(setup);

    it('reads back what was put; an unknown image has no status', async () => {
      await fixture().status.put(started);
      expect(await fixture().status.get('edy_a1.jpg')).toEqual(started);
      expect(await fixture().status.get('nobody_1.jpg')).toBeUndefined();
    });

    it('a later put replaces the record: fields arrive, an error of an earlier failure goes', async () => {
      await fixture().status.put({ ...started, imageId: 'edy_a2.jpg', status: 'FAILED', error: 'boom' });
      expect(await fixture().status.get('edy_a2.jpg')).toMatchObject({ status: 'FAILED', error: 'boom' });
      const done: ImageStatusRecord = {
        ...started,
        imageId: 'edy_a2.jpg',
        status: 'END',
        data: fields,
        updated_at: 't2',
      };
      await fixture().status.put(done);
      expect(await fixture().status.get('edy_a2.jpg')).toEqual(done);
    });

    it('hands out copies: changing a record read or put does not change the stored one', async () => {
      const record = { ...started, imageId: 'edy_a3.jpg', data: structuredClone(fields) };
      await fixture().status.put(record);
      record.status = 'END';
      const read = await fixture().status.get('edy_a3.jpg');
      if (read?.data) read.data.name = 'changed';
      const again = await fixture().status.get('edy_a3.jpg');
      expect(again?.status).toBe('START');
      expect(again?.data?.name).toBe('Edy Kim');
    });
  });
}
