import { generateSampleEvent, SAMPLE_EVENTS, UnknownSampleEventError } from '../../cockpit/sample-events.js';

/** `octember events generate SERVICE EVENT [--option value]...`: the event as JSON on stdout. */
export function runEventsGenerate(service: string, event: string, options: Record<string, string | undefined>): number {
  try {
    process.stdout.write(`${JSON.stringify(generateSampleEvent(service, event, options), null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof UnknownSampleEventError)) throw error;
    console.error(`octember events generate: ${error.message}`);
    return 2;
  }
}

export function describeSampleEvents(): string {
  const lines: string[] = [];
  for (const [service, events] of Object.entries(SAMPLE_EVENTS)) {
    for (const [name, def] of Object.entries(events)) {
      lines.push(`  ${`${service} ${name}`.padEnd(28)} ${def.help}`);
      lines.push(`  ${''.padEnd(28)} ${def.options.map((o) => `--${o.name}`).join(' ')}`);
    }
  }
  return lines.join('\n');
}
