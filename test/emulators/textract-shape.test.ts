import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DetectDocumentTextCommand,
  GetDocumentTextDetectionCommand,
  StartDocumentTextDetectionCommand,
} from '@aws-sdk/client-textract';
import { TextractDocument } from 'amazon-textract-response-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edyCardPath, startTextractEdge, type TextractEdge, textractFixtureDir } from './textract-harness.js';
import { shapeOf, textBlockViolations } from './textract-shape-checks.js';

const fixtureFiles = readdirSync(textractFixtureDir).filter((f) => f.endsWith('.json'));
if (fixtureFiles.length === 0) throw new Error(`no Textract responses (*.json) in ${textractFixtureDir}`);
const loadFixture = (file: string) => JSON.parse(readFileSync(resolve(textractFixtureDir, file), 'utf8'));
const sdkOnly = (response: object) => JSON.parse(JSON.stringify({ ...response, $metadata: undefined }));

describe('Textract emulator output vs real Textract responses', () => {
  let edge: TextractEdge;
  let ours: Record<string, any>;
  let oursAsync: Record<string, any>;

  beforeAll(async () => {
    edge = await startTextractEdge();
    const image = readFileSync(edyCardPath);
    ours = sdkOnly(await edge.client.send(new DetectDocumentTextCommand({ Document: { Bytes: image } })));
    edge.objects.set('cards/edy.jpg', image);
    const { JobId } = await edge.client.send(
      new StartDocumentTextDetectionCommand({ DocumentLocation: { S3Object: { Bucket: 'cards', Name: 'edy.jpg' } } }),
    );
    for (;;) {
      const page = await edge.client.send(new GetDocumentTextDetectionCommand({ JobId }));
      if (page.JobStatus !== 'IN_PROGRESS') {
        oursAsync = sdkOnly(page);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => edge?.close());

  it('reads the real card photo: a LINE holds the email, the name is a LINE of its own', () => {
    const lines = ours.Blocks.filter((b: any) => b.BlockType === 'LINE').map((b: any) => b.Text as string);
    expect(lines.some((text: string) => text.includes('edy@amazon.com'))).toBe(true);
    expect(lines).toContain('Edy Kim');
  });

  it.each(fixtureFiles)('the same invariants hold for the real fixture %s', (file) => {
    expect(textBlockViolations(loadFixture(file), { async: file.startsWith('get-') })).toEqual([]);
  });

  it('our DetectDocumentText and GetDocumentTextDetection results satisfy them too', () => {
    expect(textBlockViolations(ours, { async: false })).toEqual([]);
    expect(oursAsync.JobStatus).toBe('SUCCEEDED');
    expect(textBlockViolations(oursAsync, { async: true })).toEqual([]);
  });

  it('DetectDocumentText: top-level keys and per-BlockType key sets equal the real responses', () => {
    const theirs = fixtureFiles
      .filter((f) => f.startsWith('detect-document-text.'))
      .map((f) => shapeOf(loadFixture(f)));
    expect(theirs.length).toBeGreaterThan(0);
    const mine = shapeOf(ours);
    for (const real of theirs) {
      expect(mine.topKeys).toEqual(real.topKeys);
      expect(mine.metadataKeys).toEqual(real.metadataKeys);
      expect(mine.blocks).toEqual(real.blocks);
    }
  });

  it('GetDocumentTextDetection: key sets equal the real async response (Page on every block)', () => {
    const real = shapeOf(loadFixture('get-document-text-detection.textractor-multipage-2p.json'));
    const mine = shapeOf(oursAsync);
    expect(mine.topKeys).toEqual(real.topKeys);
    expect(mine.metadataKeys).toEqual(real.metadataKeys);
    expect(mine.blocks).toEqual(real.blocks);
  });

  it('value ranges: confidences on the 0..100 scale like the real ones, geometry fractions of the page', () => {
    const conf = (r: any, type: string) =>
      r.Blocks.filter((b: any) => b.BlockType === type).map((b: any) => b.Confidence as number);
    const real = loadFixture('detect-document-text.textractor-single-page-1.json');
    for (const type of ['LINE', 'WORD']) {
      // Both on the percentage scale: the real ones sit near 100, ours must not be 0..1 fractions.
      expect(Math.max(...conf(real, type))).toBeGreaterThan(1);
      expect(Math.max(...conf(ours, type))).toBeGreaterThan(1);
      expect(Math.max(...conf(ours, type))).toBeLessThanOrEqual(100);
    }
    const pageBox = ours.Blocks[0].Geometry.BoundingBox;
    expect(pageBox).toEqual({ Width: 1, Height: 1, Left: 0, Top: 0 });
    // The name sits in the middle third of the card horizontally.
    const name = ours.Blocks.find((b: any) => b.BlockType === 'LINE' && b.Text === 'Edy Kim');
    const centre = name.Geometry.BoundingBox.Left + name.Geometry.BoundingBox.Width / 2;
    expect(centre).toBeGreaterThan(1 / 3);
    expect(centre).toBeLessThan(2 / 3);
  });

  it('Ids are random per call', async () => {
    const again = await edge.client.send(
      new DetectDocumentTextCommand({ Document: { Bytes: readFileSync(edyCardPath) } }),
    );
    const first = new Set(ours.Blocks.map((b: any) => b.Id));
    expect(again.Blocks?.length).toBe(ours.Blocks.length);
    expect(again.Blocks?.filter((b) => first.has(b.Id)).length).toBe(0);
  });

  it('amazon-textract-response-parser reads ours and every real fixture alike', () => {
    const responses: Array<[string, any]> = [
      ['ours (sync)', ours],
      ['ours (async)', oursAsync],
      ...fixtureFiles.map((f) => [f, loadFixture(f)] as [string, any]),
    ];
    for (const [label, response] of responses) {
      const doc = new TextractDocument(response);
      const lineBlocks = response.Blocks.filter((b: any) => b.BlockType === 'LINE');
      expect(doc.nPages, label).toBe(response.DocumentMetadata.Pages);
      const parsedLines = doc.listPages().flatMap((p) => p.listLines().map((l) => l.text));
      expect(parsedLines, label).toEqual(lineBlocks.map((b: any) => b.Text));
      const parsedWords = doc
        .listPages()
        .flatMap((p) => p.listLines().flatMap((l) => l.listWords().map((w) => w.text)));
      expect(parsedWords.join(' '), label).toBe(lineBlocks.map((b: any) => b.Text).join(' '));
    }
    const ourDoc = new TextractDocument(ours as any);
    expect(ourDoc.pageNumber(1).text).toContain('edy@amazon.com');
  });
});
