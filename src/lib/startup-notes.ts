// What a start-up found wrong on disk and did about it (quarantined files, recovered work). Components note it here;
// `octember dev` / `emulate` print the notes in their start-up summary, so nothing is skipped or reset silently.
import { rename } from 'node:fs/promises';
import { logger } from './logger.js';

export interface StartupNote {
  /** kinesis, firehose, runtime, gremlin, ... */
  component: string;
  message: string;
  /** The file concerned (its original path). */
  file?: string;
  /** Where an unreadable file was moved (kept for inspection, never deleted). */
  movedTo?: string;
}

const notes: StartupNote[] = [];

export function noteStartup(note: StartupNote): void {
  notes.push(note);
  logger.warn({ component: note.component, file: note.file, movedTo: note.movedTo }, note.message);
}

/** Removes and returns the notes about files under `root` (all notes without a root). */
export function takeStartupNotes(root?: string): StartupNote[] {
  const taken: StartupNote[] = [];
  for (let i = 0; i < notes.length; i++) {
    const note = notes[i];
    if (root !== undefined && !(note.file ?? '').startsWith(root)) continue;
    taken.push(note);
    notes.splice(i--, 1);
  }
  return taken;
}

/** A file name suffix that says when and why a file was set aside. */
export function quarantineName(file: string, when = new Date()): string {
  return `${file}.quarantined-${when.toISOString().replace(/[:.]/g, '-')}`;
}

/** Moves an unreadable file aside (next to where it was) and notes it; returns the new path. */
export async function quarantine(file: string, component: string, reason: string): Promise<string> {
  const movedTo = quarantineName(file);
  await rename(file, movedTo);
  noteStartup({ component, file, movedTo, message: `${reason}; moved aside to ${movedTo}` });
  return movedTo;
}

/** Lines for a start-up summary (none when there is nothing to report). */
export function formatStartupNotes(list: readonly StartupNote[]): string[] {
  if (list.length === 0) return [];
  return ['', 'Recovered at start-up:', ...list.map((n) => `  ${n.component.padEnd(12)} ${n.message}`)];
}
