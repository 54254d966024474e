// The query protocol (form-encoded `Action=...`, XML answers) that the AWS CLI v1, boto before 1.34 and the
// SDK v2 clients speak: its flattened members are turned into the JSON protocol's input and back.
import { escapeXml } from '../../lib/xml-text.js';
import { SQS_NAMESPACE } from './errors.js';

type Json = Record<string, unknown>;
type Tree = { [key: string]: Tree | string };

/** `A.1.B=x` → { A: { 1: { B: 'x' } } } */
function toTree(params: URLSearchParams): Tree {
  const root: Tree = {};
  for (const [key, value] of params) {
    const parts = key.split('.');
    let node = root;
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1) node[part] = value;
      else {
        if (typeof node[part] !== 'object') node[part] = {};
        node = node[part] as Tree;
      }
    }
  }
  return root;
}

/** Numbered members in index order. */
const list = (node: Tree | string | undefined): (Tree | string)[] =>
  node && typeof node === 'object'
    ? Object.keys(node)
        .filter((k) => /^\d+$/.test(k))
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => node[k])
    : [];

const nameValueMap = (node: Tree | string | undefined, keyName: string, valueName: string) => {
  const out: Record<string, string> = {};
  for (const item of list(node))
    if (typeof item === 'object') out[String(item[keyName])] = String(item[valueName] ?? '');
  return out;
};

const messageAttributes = (node: Tree | string | undefined) => {
  const out: Json = {};
  for (const item of list(node)) {
    if (typeof item !== 'object' || typeof item.Value !== 'object') continue;
    const value = item.Value;
    out[String(item.Name)] = {
      DataType: value.DataType,
      ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { BinaryValue: value.BinaryValue } : {}),
    };
  }
  return out;
};

const SCALARS = [
  'QueueUrl',
  'QueueName',
  'QueueNamePrefix',
  'MaxResults',
  'NextToken',
  'MessageBody',
  'DelaySeconds',
  'ReceiptHandle',
  'VisibilityTimeout',
  'MaxNumberOfMessages',
  'WaitTimeSeconds',
];

function entryInput(entry: Tree): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'MessageAttribute') out.MessageAttributes = messageAttributes(value);
    else if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** The JSON protocol's input for a query-protocol request. */
export function queryToInput(operation: string, params: URLSearchParams): Json {
  const tree = toTree(params);
  const input: Json = {};
  for (const name of SCALARS) if (typeof tree[name] === 'string') input[name] = tree[name];
  if (tree.Attribute) input.Attributes = nameValueMap(tree.Attribute, 'Name', 'Value');
  if (tree.AttributeName) input.AttributeNames = list(tree.AttributeName);
  if (tree.MessageSystemAttributeName) input.MessageSystemAttributeNames = list(tree.MessageSystemAttributeName);
  if (tree.MessageAttributeName) input.MessageAttributeNames = list(tree.MessageAttributeName);
  if (tree.MessageAttribute) input.MessageAttributes = messageAttributes(tree.MessageAttribute);
  if (tree.Tag) input[operation === 'CreateQueue' ? 'tags' : 'Tags'] = nameValueMap(tree.Tag, 'Key', 'Value');
  if (tree.TagKey) input.TagKeys = list(tree.TagKey);
  const entries = tree[`${operation}RequestEntry`];
  if (entries) input.Entries = list(entries).map((e) => (typeof e === 'object' ? entryInput(e) : {}));
  return input;
}

const element = (name: string, content: string) => `<${name}>${content}</${name}>`;

function renderMap(tag: string, map: Record<string, unknown>, keyName = 'Name', valueName = 'Value'): string {
  return Object.entries(map)
    .map(([key, value]) => {
      const rendered =
        value && typeof value === 'object'
          ? Object.entries(value as Json)
              .map(([k, v]) => element(k, escapeXml(String(v))))
              .join('')
          : escapeXml(String(value));
      return element(tag, element(keyName, escapeXml(key)) + element(valueName, rendered));
    })
    .join('');
}

function renderObject(value: Json, operation: string): string {
  let out = '';
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    if (key === 'Attributes') out += renderMap('Attribute', member as Json);
    else if (key === 'MessageAttributes') out += renderMap('MessageAttribute', member as Json);
    else if (key === 'Tags') out += renderMap('Tag', member as Json, 'Key', 'Value');
    else if (key === 'QueueUrls' || key === 'queueUrls')
      out += (member as string[]).map((u) => element('QueueUrl', escapeXml(u))).join('');
    else if (key === 'Messages')
      out += (member as Json[]).map((m) => element('Message', renderObject(m, operation))).join('');
    else if (key === 'Successful') {
      out += (member as Json[]).map((e) => element(`${operation}ResultEntry`, renderObject(e, operation))).join('');
    } else if (key === 'Failed') {
      out += (member as Json[]).map((e) => element('BatchResultErrorEntry', renderObject(e, operation))).join('');
    } else out += element(key, escapeXml(String(member)));
  }
  return out;
}

export function renderQueryResponse(operation: string, output: Json, requestId: string): string {
  return (
    `<?xml version="1.0"?><${operation}Response xmlns="${SQS_NAMESPACE}">` +
    element(`${operation}Result`, renderObject(output, operation)) +
    element('ResponseMetadata', element('RequestId', requestId)) +
    `</${operation}Response>`
  );
}
