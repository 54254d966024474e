import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/support/build-cli.ts'],
    reporters: ['default'],
    // The SDK warns that releases after January 2027 need Node 22; the kit supports Node 20 until then.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', OCTEMBER_LOG_LEVEL: 'silent' },
  },
});
