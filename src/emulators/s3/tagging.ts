import { S3Error, s3Errors } from './errors.js';
import { LIMITS } from './limits.js';
import type { Tag } from './model.js';
import { child, childrenNamed, childText, renderXml, type XmlElement } from './xml.js';

function invalidTag(message: string): S3Error {
  return new S3Error('InvalidTag', 400, message);
}

/** Validates a tag set as S3 does: count, key and value lengths, unique keys, no `aws:` keys. */
export function checkTags(tags: Tag[], max: number = LIMITS.maxObjectTags): Tag[] {
  if (tags.length > max)
    throw invalidTag(
      max === LIMITS.maxObjectTags
        ? 'Object tags cannot be greater than 10'
        : 'Bucket tag count cannot be greater than 50',
    );
  const seen = new Set<string>();
  for (const t of tags) {
    if ([...t.Key].length < 1 || [...t.Key].length > LIMITS.maxTagKeyLength)
      throw invalidTag('The TagKey you have provided is too long, max 128');
    if ([...t.Value].length > LIMITS.maxTagValueLength)
      throw invalidTag('The TagValue you have provided is too long, max 256');
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidTag('System tags cannot be added/updated by requester');
    if (seen.has(t.Key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(t.Key);
  }
  return tags;
}

export function parseTaggingXml(root: XmlElement, max?: number): Tag[] {
  if (root.name !== 'Tagging') throw s3Errors.malformedXml();
  const set = child(root, 'TagSet');
  if (!set) throw s3Errors.malformedXml();
  return checkTags(
    childrenNamed(set, 'Tag').map((t) => {
      const key = childText(t, 'Key');
      if (key === undefined) throw s3Errors.malformedXml();
      return { Key: child(t, 'Key')!.text, Value: child(t, 'Value')?.text ?? '' };
    }),
    max,
  );
}

/** x-amz-tagging: a URL-encoded query string of tags. */
export function tagsFromHeader(value: string | undefined): Tag[] | undefined {
  if (value === undefined) return undefined;
  const tags: Tag[] = [];
  for (const [Key, Value] of new URLSearchParams(value)) tags.push({ Key, Value });
  return checkTags(tags);
}

export function taggingXml(tags: Tag[]): string {
  const sorted = [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
  return renderXml('Tagging', { TagSet: { Tag: sorted.map((t) => ({ Key: t.Key, Value: t.Value })) } });
}
