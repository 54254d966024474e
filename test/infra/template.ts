import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../src/infra/app.js';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
export type Json = any;

export const CLOUDSEARCH = {
  documentEndpoint: 'doc-octember-items-abc.us-east-1.cloudsearch.amazonaws.com',
  searchEndpoint: 'search-octember-items-abc.us-east-1.cloudsearch.amazonaws.com',
};

let cached: { template: Template; json: Json } | undefined;

/** The stack's template with every setting given, bundling skipped (the artifacts have their own tests). */
export function stackTemplate(): { template: Template; json: Json } {
  if (!cached) {
    const { stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), { cloudSearch: CLOUDSEARCH });
    const template = Template.fromStack(stack);
    cached = { template, json: template.toJSON() };
  }
  return cached;
}

/** The logical id a `Ref` / `Fn::GetAtt` points at. */
export function refOf(value: Json): string | undefined {
  if (value?.Ref) return value.Ref;
  if (value?.['Fn::GetAtt']) return value['Fn::GetAtt'][0];
  return undefined;
}

/** The first logical id referenced anywhere inside a value (for joins such as `arn:...${Ref}`). */
export function firstRef(value: Json): string | undefined {
  const direct = refOf(value);
  if (direct && !direct.startsWith('AWS::')) return direct;
  if (value && typeof value === 'object') {
    for (const item of Object.values(value)) {
      const found = firstRef(item);
      if (found) return found;
    }
  }
  return undefined;
}

export function resourcesOfType(json: Json, type: string): [string, Json][] {
  return Object.entries(json.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);
}

/** Logical id of a function resource → its name without the `octember-` prefix. */
export function functionNames(json: Json): Map<string, string> {
  return new Map(
    resourcesOfType(json, 'AWS::Lambda::Function')
      .filter(([, r]) => typeof r.Properties.FunctionName === 'string')
      .map(([id, r]) => [id, (r.Properties.FunctionName as string).replace(/^octember-/, '')]),
  );
}
