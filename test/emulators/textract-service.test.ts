import { readFileSync } from 'node:fs';
import {
  AnalyzeDocumentCommand,
  type Block,
  DetectDocumentTextCommand,
  DocumentTooLargeException,
  GetDocumentAnalysisCommand,
  GetDocumentTextDetectionCommand,
  type GetDocumentTextDetectionCommandOutput,
  InvalidJobIdException,
  InvalidParameterException,
  InvalidS3ObjectException,
  StartDocumentAnalysisCommand,
  StartDocumentTextDetectionCommand,
  UnsupportedDocumentException,
} from '@aws-sdk/client-textract';
import { TextractDocument } from 'amazon-textract-response-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edyCardPath, startTextractEdge, type TextractEdge } from './textract-harness.js';

const BUCKET = 'octember-bizcard';

describe('Textract emulator through @aws-sdk/client-textract', () => {
  let edge: TextractEdge;
  let card: Buffer;

  beforeAll(async () => {
    edge = await startTextractEdge();
    card = readFileSync(edyCardPath);
    edge.objects.set(`${BUCKET}/bizcard-raw-img/edy_a0653895773.jpg`, card);
    edge.objects.set(`${BUCKET}/docs/file.pdf`, Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'));
  });
  afterAll(async () => edge?.close());

  const lineTexts = (blocks: Block[] | undefined) =>
    (blocks ?? []).filter((b) => b.BlockType === 'LINE').map((b) => b.Text ?? '');

  it('DetectDocumentText reads an S3 object', async () => {
    const out = await edge.client.send(
      new DetectDocumentTextCommand({
        Document: { S3Object: { Bucket: BUCKET, Name: 'bizcard-raw-img/edy_a0653895773.jpg' } },
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.DocumentMetadata).toEqual({ Pages: 1 });
    expect(out.DetectDocumentTextModelVersion).toBe('1.0');
    expect(lineTexts(out.Blocks).join('\n')).toContain('edy@amazon.com');
  });

  it('AnalyzeDocument accepts FeatureTypes and returns the LINE/WORD blocks', async () => {
    const out = await edge.client.send(
      new AnalyzeDocumentCommand({ Document: { Bytes: card }, FeatureTypes: ['FORMS', 'TABLES'] }),
    );
    expect(out.AnalyzeDocumentModelVersion).toBe('1.0');
    expect(out.DocumentMetadata?.Pages).toBe(1);
    expect(out.Blocks?.[0].BlockType).toBe('PAGE');
    expect(lineTexts(out.Blocks)).toContain('Edy Kim');
  });

  describe('errors as Textract sends them', () => {
    const rejects = async (promise: Promise<unknown>, errorClass: new (...args: any[]) => Error, status = 400) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(errorClass);
      expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(status);
      expect((error as Error).message.length).toBeGreaterThan(0);
    };

    it('UnsupportedDocumentException for bytes that are no image, a PDF, a TIFF or a corrupt JPEG', async () => {
      const docs = [
        Buffer.from('just some text, not a picture'),
        Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'),
        Buffer.from([0x49, 0x49, 42, 0, 8, 0, 0, 0, 0, 0]),
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]),
      ];
      for (const Bytes of docs)
        await rejects(
          edge.client.send(new DetectDocumentTextCommand({ Document: { Bytes } })),
          UnsupportedDocumentException,
        );
    });

    it('InvalidParameterException for a missing Document, both Bytes and S3Object, or bad FeatureTypes', async () => {
      await rejects(edge.client.send(new DetectDocumentTextCommand({} as never)), InvalidParameterException);
      await rejects(edge.client.send(new DetectDocumentTextCommand({ Document: {} })), InvalidParameterException);
      await rejects(
        edge.client.send(
          new DetectDocumentTextCommand({ Document: { Bytes: card, S3Object: { Bucket: BUCKET, Name: 'x.jpg' } } }),
        ),
        InvalidParameterException,
      );
      await rejects(
        edge.client.send(new AnalyzeDocumentCommand({ Document: { Bytes: card }, FeatureTypes: ['BOGUS' as never] })),
        InvalidParameterException,
      );
      await rejects(
        edge.client.send(new AnalyzeDocumentCommand({ Document: { Bytes: card }, FeatureTypes: [] })),
        InvalidParameterException,
      );
      await rejects(
        edge.client.send(new AnalyzeDocumentCommand({ Document: { Bytes: card } } as never)),
        InvalidParameterException,
      );
      await rejects(
        edge.client.send(new AnalyzeDocumentCommand({ Document: { Bytes: card }, FeatureTypes: ['QUERIES'] })),
        InvalidParameterException,
      );
    });

    it('InvalidS3ObjectException when the object or the bucket is missing', async () => {
      await rejects(
        edge.client.send(
          new DetectDocumentTextCommand({ Document: { S3Object: { Bucket: BUCKET, Name: 'nope.jpg' } } }),
        ),
        InvalidS3ObjectException,
      );
      await rejects(
        edge.client.send(
          new DetectDocumentTextCommand({
            Document: { S3Object: { Bucket: 'no-such-bucket', Name: 'bizcard-raw-img/edy_a0653895773.jpg' } },
          }),
        ),
        InvalidS3ObjectException,
      );
      await rejects(
        edge.client.send(
          new StartDocumentTextDetectionCommand({
            DocumentLocation: { S3Object: { Bucket: BUCKET, Name: 'nope.jpg' } },
          }),
        ),
        InvalidS3ObjectException,
      );
    });

    it('raw JSON 1.1: unknown operation and malformed JSON are refused with __type and x-amzn-errortype', async () => {
      const post = (target: string, body: string) =>
        fetch(edge.endpoint, {
          method: 'POST',
          headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
          body,
        });
      const unknown = await post('Textract.DetectEverything', '{}');
      expect(unknown.status).toBe(400);
      expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
      expect(((await unknown.json()) as { __type: string }).__type).toBe('UnknownOperationException');
      const malformed = await post('Textract.DetectDocumentText', '{"Document": ');
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as { __type: string }).__type).toBe('SerializationException');
      const ok = await post(
        'Textract.DetectDocumentText',
        JSON.stringify({ Document: { Bytes: card.toString('base64') } }),
      );
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(ok.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('DocumentTooLargeException for Bytes over 10 MB', async () => {
      const big = Buffer.concat([card, Buffer.alloc(10 * 1024 * 1024 + 1 - card.length)]);
      await rejects(
        edge.client.send(new DetectDocumentTextCommand({ Document: { Bytes: big } })),
        DocumentTooLargeException,
      );
    });

    it('InvalidJobIdException for an unknown job, or a text job asked for as an analysis', async () => {
      await rejects(
        edge.client.send(new GetDocumentTextDetectionCommand({ JobId: 'f'.repeat(64) })),
        InvalidJobIdException,
      );
      const { JobId } = await edge.client.send(
        new StartDocumentTextDetectionCommand({
          DocumentLocation: { S3Object: { Bucket: BUCKET, Name: 'bizcard-raw-img/edy_a0653895773.jpg' } },
        }),
      );
      await rejects(edge.client.send(new GetDocumentAnalysisCommand({ JobId })), InvalidJobIdException);
    });
  });

  describe('asynchronous jobs', () => {
    const waitForJob = async (get: () => Promise<{ JobStatus?: string }>) => {
      const seen: string[] = [];
      for (;;) {
        const out = await get();
        seen.push(String(out.JobStatus));
        if (out.JobStatus !== 'IN_PROGRESS') return { out, seen };
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    it('StartDocumentTextDetection → IN_PROGRESS until SUCCEEDED, then pages of MaxResults blocks with NextToken', async () => {
      const location = { S3Object: { Bucket: BUCKET, Name: 'bizcard-raw-img/edy_a0653895773.jpg' } };
      const { JobId } = await edge.client.send(new StartDocumentTextDetectionCommand({ DocumentLocation: location }));
      expect(JobId).toMatch(/^[0-9a-f]{64}$/);
      const { out: full, seen } = await waitForJob(() =>
        edge.client.send(new GetDocumentTextDetectionCommand({ JobId })),
      );
      expect(seen.every((s) => s === 'IN_PROGRESS' || s === 'SUCCEEDED')).toBe(true);
      expect(seen.at(-1)).toBe('SUCCEEDED');
      const all = (full as GetDocumentTextDetectionCommandOutput).Blocks ?? [];
      expect(all.length).toBeGreaterThan(10);
      expect((full as GetDocumentTextDetectionCommandOutput).NextToken).toBeUndefined();

      const pages: GetDocumentTextDetectionCommandOutput[] = [];
      let NextToken: string | undefined;
      do {
        const page = await edge.client.send(new GetDocumentTextDetectionCommand({ JobId, MaxResults: 7, NextToken }));
        pages.push(page);
        NextToken = page.NextToken;
      } while (NextToken);
      expect(pages.length).toBe(Math.ceil(all.length / 7));
      for (const page of pages) {
        expect(page.JobStatus).toBe('SUCCEEDED');
        expect(page.DocumentMetadata).toEqual({ Pages: 1 });
        expect(page.Blocks?.length).toBeLessThanOrEqual(7);
      }
      const paged = pages.flatMap((p) => p.Blocks ?? []);
      expect(paged.map((b) => b.Id)).toEqual(all.map((b) => b.Id));
      expect(paged.every((b) => b.Page === 1)).toBe(true);
      const doc = new TextractDocument({
        DocumentMetadata: { Pages: 1 },
        JobStatus: 'SUCCEEDED',
        Blocks: paged,
      } as never);
      expect(doc.pageNumber(1).text).toContain('edy@amazon.com');

      await expect(
        edge.client.send(new GetDocumentTextDetectionCommand({ JobId, NextToken: 'garbage' })),
      ).rejects.toBeInstanceOf(InvalidParameterException);
    });

    it('the same ClientRequestToken returns the same JobId', async () => {
      const input = {
        DocumentLocation: { S3Object: { Bucket: BUCKET, Name: 'bizcard-raw-img/edy_a0653895773.jpg' } },
        ClientRequestToken: 'card-1',
      };
      const first = await edge.client.send(new StartDocumentTextDetectionCommand(input));
      const second = await edge.client.send(new StartDocumentTextDetectionCommand(input));
      const other = await edge.client.send(
        new StartDocumentTextDetectionCommand({ ...input, ClientRequestToken: 'card-2' }),
      );
      expect(second.JobId).toBe(first.JobId);
      expect(other.JobId).not.toBe(first.JobId);
    });

    it('StartDocumentAnalysis / GetDocumentAnalysis, with FeatureTypes validated', async () => {
      const location = { S3Object: { Bucket: BUCKET, Name: 'bizcard-raw-img/edy_a0653895773.jpg' } };
      await expect(
        edge.client.send(
          new StartDocumentAnalysisCommand({ DocumentLocation: location, FeatureTypes: ['NOPE' as never] }),
        ),
      ).rejects.toBeInstanceOf(InvalidParameterException);
      const { JobId } = await edge.client.send(
        new StartDocumentAnalysisCommand({ DocumentLocation: location, FeatureTypes: ['TABLES'] }),
      );
      const { out } = await waitForJob(() => edge.client.send(new GetDocumentAnalysisCommand({ JobId })));
      expect(out.JobStatus).toBe('SUCCEEDED');
      expect(lineTexts((out as { Blocks?: Block[] }).Blocks)).toContain('Edy Kim');
      expect((out as { AnalyzeDocumentModelVersion?: string }).AnalyzeDocumentModelVersion).toBe('1.0');
    });

    it('a job on a PDF (which the emulator cannot rasterise) ends FAILED with a StatusMessage', async () => {
      const { JobId } = await edge.client.send(
        new StartDocumentTextDetectionCommand({
          DocumentLocation: { S3Object: { Bucket: BUCKET, Name: 'docs/file.pdf' } },
        }),
      );
      const { out } = await waitForJob(() => edge.client.send(new GetDocumentTextDetectionCommand({ JobId })));
      expect(out.JobStatus).toBe('FAILED');
      expect((out as { StatusMessage?: string }).StatusMessage).toMatch(/PDF/);
      expect((out as { Blocks?: Block[] }).Blocks).toBeUndefined();
    });
  });
});
