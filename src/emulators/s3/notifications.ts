import { randomUUID } from 'node:crypto';
import type { S3EventRecord } from 'aws-lambda';
import { newHostId, newRequestId, S3Error, s3Errors } from './errors.js';
import { child, childrenNamed, childText, type XmlElement, type XmlNode } from './xml.js';

export interface S3FilterRule {
  Name: string; // 'prefix' | 'suffix' (any case, as the SDK and console send them)
  Value: string;
}

interface DestinationBase {
  Id?: string;
  Events: string[];
  Filter?: { Key?: { FilterRules?: S3FilterRule[] } };
}

/** Same member names as the SDK's NotificationConfiguration, so SDK-shaped objects can be passed in directly. */
export interface S3NotificationConfiguration {
  LambdaFunctionConfigurations?: Array<DestinationBase & { LambdaFunctionArn: string }>;
  QueueConfigurations?: Array<DestinationBase & { QueueArn: string }>;
  TopicConfigurations?: Array<DestinationBase & { TopicArn: string }>;
}

export interface S3Notification {
  destinationArn: string;
  record: S3EventRecord;
}

export type S3EventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete'
  | 'ObjectRemoved:DeleteMarkerCreated';

const SUPPORTED_EVENTS = new Set([
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
]);

const KINDS = [
  {
    list: 'LambdaFunctionConfigurations',
    element: 'CloudFunctionConfiguration',
    arnMember: 'LambdaFunctionArn',
    arnElement: 'CloudFunction',
  },
  { list: 'QueueConfigurations', element: 'QueueConfiguration', arnMember: 'QueueArn', arnElement: 'Queue' },
  { list: 'TopicConfigurations', element: 'TopicConfiguration', arnMember: 'TopicArn', arnElement: 'Topic' },
] as const;

interface FlatDestination extends DestinationBase {
  arn: string;
}

function destinations(cfg: S3NotificationConfiguration): FlatDestination[] {
  const out: FlatDestination[] = [];
  for (const kind of KINDS) {
    for (const d of (cfg[kind.list] ?? []) as unknown as Array<DestinationBase & Record<string, unknown>>) {
      out.push({ ...d, arn: String(d[kind.arnMember]) });
    }
  }
  return out;
}

/** Validates like S3 does (events, filter rule names, overlapping rules) and fills in missing Ids. */
export function normalizeNotificationConfiguration(cfg: S3NotificationConfiguration): S3NotificationConfiguration {
  const out: S3NotificationConfiguration = {};
  for (const kind of KINDS) {
    const list = (cfg[kind.list] ?? []) as unknown as Array<DestinationBase & Record<string, unknown>>;
    if (list.length === 0) continue;
    (out as Record<string, unknown>)[kind.list] = list.map((d) => {
      const arn = d[kind.arnMember];
      if (typeof arn !== 'string' || !arn.startsWith('arn:'))
        throw s3Errors.invalidArgument(
          `${kind.arnMember} is missing or is not an ARN`,
          kind.arnMember,
          String(arn ?? ''),
        );
      if (!Array.isArray(d.Events) || d.Events.length === 0) throw s3Errors.malformedXml();
      for (const e of d.Events)
        if (!SUPPORTED_EVENTS.has(e))
          throw s3Errors.invalidArgument('The event is not supported for notifications', e, e);
      const rules = d.Filter?.Key?.FilterRules ?? [];
      const seen = new Set<string>();
      for (const r of rules) {
        const name = String(r.Name ?? '').toLowerCase();
        if (name !== 'prefix' && name !== 'suffix')
          throw s3Errors.invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', r.Name);
        if (seen.has(name))
          throw s3Errors.invalidArgument(
            'Cannot specify more than one prefix rule in a filter.',
            'FilterRule.Name',
            r.Name,
          );
        seen.add(name);
      }
      return {
        Id: d.Id || randomUUID(),
        [kind.arnMember]: arn,
        Events: [...d.Events],
        ...(rules.length
          ? {
              Filter: {
                Key: { FilterRules: rules.map((r) => ({ Name: r.Name.toLowerCase(), Value: r.Value ?? '' })) },
              },
            }
          : {}),
      };
    });
  }
  return out;
}

export function parseNotificationXml(root: XmlElement): S3NotificationConfiguration {
  if (root.name !== 'NotificationConfiguration') throw s3Errors.malformedXml();
  const cfg: Record<string, unknown[]> = {};
  for (const kind of KINDS) {
    // The SDK serialises LambdaFunctionConfigurations as <CloudFunctionConfiguration>.
    const elements = [
      ...childrenNamed(root, kind.element),
      ...(kind.element === 'CloudFunctionConfiguration' ? childrenNamed(root, 'LambdaFunctionConfiguration') : []),
    ];
    if (elements.length === 0) continue;
    cfg[kind.list] = elements.map((el) => {
      const filter = child(el, 'Filter');
      const s3Key = filter ? child(filter, 'S3Key') : undefined;
      const rules = s3Key
        ? childrenNamed(s3Key, 'FilterRule').map((r) => ({
            Name: childText(r, 'Name') ?? '',
            Value: childText(r, 'Value') ?? '',
          }))
        : [];
      return {
        Id: childText(el, 'Id'),
        [kind.arnMember]: childText(el, kind.arnElement) ?? childText(el, kind.arnMember),
        Events: childrenNamed(el, 'Event').map((e) => e.text.trim()),
        ...(rules.length ? { Filter: { Key: { FilterRules: rules } } } : {}),
      };
    });
  }
  return cfg as S3NotificationConfiguration;
}

export function notificationToXml(cfg: S3NotificationConfiguration): XmlNode {
  const node: XmlNode = {};
  for (const kind of KINDS) {
    const list = (cfg[kind.list] ?? []) as unknown as Array<DestinationBase & Record<string, unknown>>;
    if (!list.length) continue;
    node[kind.element] = list.map((d) => ({
      Id: d.Id,
      [kind.arnElement]: String(d[kind.arnMember]),
      Event: d.Events,
      Filter: d.Filter?.Key?.FilterRules?.length
        ? { S3Key: { FilterRule: d.Filter.Key.FilterRules.map((r) => ({ Name: r.Name, Value: r.Value })) } }
        : undefined,
    }));
  }
  return node;
}

function eventMatches(patterns: string[], eventName: S3EventName): boolean {
  const full = `s3:${eventName}`;
  return patterns.some((p) => p === full || (p.endsWith(':*') && full.startsWith(p.slice(0, -1))));
}

function keyMatches(rules: S3FilterRule[] | undefined, key: string): boolean {
  for (const r of rules ?? []) {
    const name = r.Name.toLowerCase();
    if (name === 'prefix' && !key.startsWith(r.Value)) return false;
    if (name === 'suffix' && !key.endsWith(r.Value)) return false;
  }
  return true;
}

/** AWS form-encodes keys in event records: space → '+', '/' kept, everything else outside [A-Za-z0-9-_.~] %-escaped. */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+');
}

let sequence = 0;
/** Hex, increasing for successive events (S3 only guarantees ordering per key). */
function nextSequencer(): string {
  sequence = (sequence + 1) % 0x100000;
  return (BigInt(Date.now()) * 0x100000n + BigInt(sequence)).toString(16).toUpperCase().padStart(18, '0');
}

export interface ObjectEvent {
  bucket: string;
  key: string;
  eventName: S3EventName;
  size?: number;
  etag?: string;
  sourceIp?: string;
  versionId?: string;
  region: string;
}

export function buildNotifications(cfg: S3NotificationConfiguration | undefined, ev: ObjectEvent): S3Notification[] {
  if (!cfg) return [];
  const matches = destinations(cfg).filter(
    (d) => eventMatches(d.Events, ev.eventName) && keyMatches(d.Filter?.Key?.FilterRules, ev.key),
  );
  if (matches.length === 0) return [];
  const sequencer = nextSequencer();
  const eventTime = new Date().toISOString();
  const requestId = newRequestId();
  const hostId = newHostId();
  return matches.map((d) => {
    const object: Record<string, unknown> = { key: encodeEventKey(ev.key) };
    if (ev.eventName.startsWith('ObjectCreated')) {
      object.size = ev.size ?? 0;
      object.eTag = (ev.etag ?? '').replace(/"/g, '');
    }
    if (ev.versionId && ev.versionId !== 'null') object.versionId = ev.versionId;
    object.sequencer = sequencer;
    const record: S3EventRecord = {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: ev.region,
      eventTime,
      eventName: ev.eventName,
      userIdentity: { principalId: 'AWS:000000000000' },
      requestParameters: { sourceIPAddress: ev.sourceIp ?? '127.0.0.1' },
      responseElements: { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: d.Id ?? '',
        bucket: { name: ev.bucket, ownerIdentity: { principalId: '000000000000' }, arn: `arn:aws:s3:::${ev.bucket}` },
        object: object as S3EventRecord['s3']['object'],
      },
    };
    return { destinationArn: d.arn, record };
  });
}

export { S3Error };

/** Whether a notification goes to an SQS queue (QueueConfigurations) rather than a Lambda function or SNS topic. */
export function isQueueDestination(destinationArn: string): boolean {
  return /^arn:aws[\w-]*:sqs:/.test(destinationArn);
}

/** The message body S3 sends to an SQS destination: the event with its one record, as Lambda would receive it. */
export function queueMessageBody(notification: S3Notification): string {
  return JSON.stringify({ Records: [notification.record] });
}

/**
 * Routes each notification by destination: SQS queues get S3's message (through `sendToQueue`, the SQS emulator),
 * everything else goes to `other` (the local Lambda runtime). A queue that does not exist drops the event with a
 * warning, as S3 would have refused the configuration.
 */
export function routeNotifications(targets: {
  sendToQueue?: (queueArn: string, body: string) => Promise<boolean>;
  other?: (notification: S3Notification) => void;
  onDropped?: (notification: S3Notification, reason: string) => void;
}): (notification: S3Notification) => void {
  return (notification) => {
    if (!isQueueDestination(notification.destinationArn)) {
      targets.other?.(notification);
      return;
    }
    if (!targets.sendToQueue) {
      targets.onDropped?.(notification, 'no SQS service runs beside this S3');
      return;
    }
    targets.sendToQueue(notification.destinationArn, queueMessageBody(notification)).then(
      (sent) => {
        if (!sent) targets.onDropped?.(notification, 'the queue does not exist');
      },
      (error: Error) => targets.onDropped?.(notification, error.message),
    );
  };
}
