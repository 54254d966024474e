import { describe, expect, it } from 'vitest';
import { NAG_ACKNOWLEDGEMENTS } from '../../src/infra/nag.js';
import { TOPOLOGY } from '../../src/topology/index.js';
import { type Json, resourcesOfType, stackTemplate } from './template.js';

/** Least privilege, read from the synthesized template (every IAM statement of every role). */
const { json } = stackTemplate();
const list = (value: Json): Json[] => (Array.isArray(value) ? value : [value]);
const statements = resourcesOfType(json, 'AWS::IAM::Policy').flatMap(([id, policy]) =>
  list(policy.Properties.PolicyDocument.Statement).map((statement: Json) => ({
    policy: id,
    roles: list(policy.Properties.Roles).map((r: Json) => r.Ref as string),
    actions: list(statement.Action) as string[],
    resources: list(statement.Resource),
  })),
);

describe('IAM in the aws target', () => {
  it('grants no `*` action and no `service:*` anywhere', () => {
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      for (const action of s.actions) expect(action, s.policy).not.toMatch(/^(\*|[a-z0-9-]+:\*)$/);
    }
  });

  it('grants no wildcard action on a wildcard resource', () => {
    for (const s of statements.filter((x) => x.resources.includes('*'))) {
      for (const action of s.actions) expect(action, s.policy).not.toContain('*');
    }
  });

  it('gives every function its own role, with exact actions only (no wildcards in actions)', () => {
    const roles = new Set(
      resourcesOfType(json, 'AWS::Lambda::Function')
        .filter(([, f]) => typeof f.Properties.FunctionName === 'string')
        .map(([, f]) => f.Properties.Role['Fn::GetAtt'][0] as string),
    );
    expect(roles.size).toBe(TOPOLOGY.functions.length);
    for (const s of statements.filter((x) => x.roles.some((r) => roles.has(r)))) {
      for (const action of s.actions) expect(action, s.policy).not.toContain('*');
    }
    for (const role of roles) expect(json.Resources[role].Properties.ManagedPolicyArns, role).toBeUndefined();
  });

  it('scopes CloudSearch grants to the domain: document and DescribeIndexFields for csv-to-cloudsearch, search for the readers', () => {
    const cloudsearch = statements.filter((s) => s.actions.some((a) => a.startsWith('cloudsearch:')));
    expect(cloudsearch.flatMap((s) => s.actions).sort()).toEqual([
      'cloudsearch:DescribeIndexFields',
      'cloudsearch:document',
      'cloudsearch:search',
      'cloudsearch:search',
    ]);
    for (const s of cloudsearch) expect(JSON.stringify(s.resources)).toContain(':domain/octember-items');
  });
});

describe('operations', () => {
  it('sets a retention on every log group, and each function logs to its own', () => {
    const groups = resourcesOfType(json, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(TOPOLOGY.functions.length);
    for (const [id, group] of groups) expect(group.Properties.RetentionInDays, id).toBe(30);
    for (const [, fn] of resourcesOfType(json, 'AWS::Lambda::Function').filter(
      ([, f]) => typeof f.Properties.FunctionName === 'string',
    )) {
      expect(fn.Properties.LoggingConfig?.LogGroup).toBeDefined();
    }
  });

  it('turns on IAM auth for Neptune and TLS for Redis', () => {
    const [[, cluster]] = resourcesOfType(json, 'AWS::Neptune::DBCluster');
    expect(cluster.Properties.IamAuthEnabled).toBe(true);
    const [[, cache]] = resourcesOfType(json, 'AWS::ElastiCache::ReplicationGroup');
    expect(cache.Properties.TransitEncryptionEnabled).toBe(true);
  });

  it('gives every cdk-nag acknowledgement a reason', () => {
    for (const a of NAG_ACKNOWLEDGEMENTS) expect(a.reason.length, a.id).toBeGreaterThan(30);
  });
});
