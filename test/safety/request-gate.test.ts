import { describe, expect, it } from 'vitest';
import { createRequestGate, gateConfigFromEnv, hostnameOf, normalizeOrigin } from '../../src/lib/request-gate.js';

describe('request gate: Host', () => {
  const gate = createRequestGate({ origins: ['http://localhost:3000'] });
  it.each([
    'localhost',
    'localhost:4566',
    '127.0.0.1:4566',
    '127.1.2.3',
    '[::1]:9200',
    'bucket.localhost:4566',
    'localhost.localstack.cloud:4566',
    'bucket.s3.localhost.localstack.cloud:4566',
    '192.168.1.20:4566',
  ])('accepts loopback names and IP literals: %s', (host) => {
    expect(gate.check({ host }).allowed).toBe(true);
  });

  it.each(['evil.example', 'evil.example:4566', 'localhost.evil.example', 'octember', '127.0.0.1.nip.io'])(
    'refuses a foreign Host (DNS rebinding): %s',
    (host) => {
      const verdict = gate.check({ host });
      expect(verdict.allowed).toBe(false);
      expect(!verdict.allowed && verdict.reason).toContain('OCTEMBER_ALLOWED_HOSTS');
    },
  );

  it('accepts configured hosts, and any with *', () => {
    expect(createRequestGate({ hosts: ['octember'] }).check({ host: 'octember:4566' }).allowed).toBe(true);
    expect(createRequestGate({ hosts: ['*'] }).check({ host: 'evil.example' }).allowed).toBe(true);
  });

  it('parses host names', () => {
    expect(hostnameOf('[::1]:80')).toBe('::1');
    expect(hostnameOf('LocalHost:80')).toBe('localhost');
    expect(hostnameOf('::1')).toBe('::1');
  });
});

describe('request gate: Origin', () => {
  const gate = createRequestGate({ origins: ['http://localhost:3000'] });
  it('allows listed origins and reports them for CORS', () => {
    expect(gate.check({ host: 'localhost', origin: 'http://localhost:3000' })).toEqual({
      allowed: true,
      corsOrigin: 'http://localhost:3000',
    });
  });

  it('refuses other origins, naming the setting', () => {
    const verdict = gate.check({ host: 'localhost', origin: 'https://evil.example' });
    expect(verdict).toMatchObject({ allowed: false, origin: 'https://evil.example' });
    expect(!verdict.allowed && verdict.reason).toContain('OCTEMBER_CORS_ORIGINS');
    expect(gate.check({ host: 'localhost', origin: 'http://localhost:3001' }).allowed).toBe(false);
  });

  it('always refuses Origin: null, even with *', () => {
    expect(gate.check({ host: 'localhost', origin: 'null' }).allowed).toBe(false);
    expect(createRequestGate({ origins: ['*'] }).check({ host: 'localhost', origin: 'null' }).allowed).toBe(false);
  });

  it('refuses cross-site no-cors requests unless their Referer is allowed', () => {
    expect(gate.check({ host: 'localhost', 'sec-fetch-site': 'cross-site' }).allowed).toBe(false);
    expect(
      gate.check({ host: 'localhost', 'sec-fetch-site': 'cross-site', referer: 'http://localhost:3000/page' }).allowed,
    ).toBe(true);
    expect(gate.check({ host: 'localhost', 'sec-fetch-site': 'same-origin' }).allowed).toBe(true);
  });

  it('lets non-browser clients through (no Origin)', () => {
    expect(gate.check({ host: '127.0.0.1:4566' }).allowed).toBe(true);
    expect(gate.check({}).allowed).toBe(true);
  });

  it('reads OCTEMBER_CORS_ORIGINS, EXTRA_CORS_ALLOWED_ORIGINS and OCTEMBER_ALLOWED_HOSTS', () => {
    const config = gateConfigFromEnv({
      OCTEMBER_CORS_ORIGINS: 'http://localhost:5173, https://app.example',
      EXTRA_CORS_ALLOWED_ORIGINS: 'http://x.test:8080',
      OCTEMBER_ALLOWED_HOSTS: 'octember,localstack',
    });
    const configured = createRequestGate(config);
    expect(configured.allowsOrigin('http://localhost:5173')).toBe(true);
    expect(configured.allowsOrigin('http://x.test:8080')).toBe(true);
    expect(configured.check({ host: 'localstack:4566' }).allowed).toBe(true);
    expect(normalizeOrigin('HTTP://LocalHost:80/')).toBe('http://localhost');
    expect(() => configured.allowOrigin('not an origin')).toThrow(/not an origin/);
  });
});
