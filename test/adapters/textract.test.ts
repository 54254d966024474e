// The Textract adapter against a replay of a recorded real DetectDocumentText response (Textract JSON protocol).
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TextractClient } from '@aws-sdk/client-textract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTextractOcr } from '../../src/adapters/textract/ocr.js';
import { OCR_LANGUAGE_HEADER } from '../../src/lib/ocr-language-header.js';
import { sharedPath } from '../support/shared.js';

const FIXTURE = sharedPath('fixtures', 'textract', 'detect-document-text.textractor-single-page-1.json');

describe('textract adapter', () => {
  let server: Server;
  let endpoint: string;
  const requests: { target: string; body: Record<string, unknown>; headers: Record<string, unknown> }[] = [];
  beforeAll(async () => {
    const fixture = await readFile(FIXTURE, 'utf8');
    // Replays a recorded real DetectDocumentText response over the Textract JSON protocol.
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      requests.push({
        target: String(req.headers['x-amz-target']),
        body: JSON.parse(Buffer.concat(chunks).toString()),
        headers: req.headers,
      });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(fixture);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends S3Object or Bytes documents and returns the response lines', async () => {
    const client = new TextractClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const ocr = createTextractOcr(client);
    const expected = JSON.parse(await readFile(FIXTURE, 'utf8')) as { Blocks: { BlockType: string; Text?: string }[] };
    const fromS3 = await ocr.detectText({ s3: { bucket: 'octember-bizcard', key: 'bizcard-raw-img/a_1.jpg' } });
    expect(fromS3.pages).toBe(1);
    expect(fromS3.lines.map((line) => line.text)).toEqual(
      expected.Blocks.filter((block) => block.BlockType === 'LINE').map((block) => block.Text),
    );
    await ocr.detectText({ bytes: new Uint8Array([0xff, 0xd8, 0xff]) });
    expect(requests.map((r) => r.target)).toEqual(['Textract.DetectDocumentText', 'Textract.DetectDocumentText']);
    expect(requests[0].body).toEqual({
      Document: { S3Object: { Bucket: 'octember-bizcard', Name: 'bizcard-raw-img/a_1.jpg' } },
    });
    expect(requests[1].body).toEqual({ Document: { Bytes: Buffer.from([0xff, 0xd8, 0xff]).toString('base64') } });
    expect(requests[1].headers).not.toHaveProperty(OCR_LANGUAGE_HEADER);
    client.destroy();
  });

  it("passes the text's language in a header outside the signature, the request otherwise Textract's own", async () => {
    const client = new TextractClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    requests.length = 0;
    await createTextractOcr(client).detectText({ bytes: new Uint8Array([0xff, 0xd8, 0xff]) }, { language: 'es' });
    const [{ headers, body }] = requests;
    expect(headers[OCR_LANGUAGE_HEADER]).toBe('es');
    expect(String(headers.authorization)).toMatch(/SignedHeaders=[^,]*x-amz-target/);
    expect(String(headers.authorization)).not.toContain(OCR_LANGUAGE_HEADER);
    expect(body).toEqual({ Document: { Bytes: Buffer.from([0xff, 0xd8, 0xff]).toString('base64') } });
    client.destroy();
  });
});
