// Child processes that never outlive the kit: pid files let a restart find (and stop) a child a crashed run left
// behind, and a shell watchdog ends a child that cannot watch its parent itself when the parent's pipe closes.
import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { writeFileDurably } from './durable-file.js';
import { noteStartup } from './startup-notes.js';

/** The command line of a live process ('' when it is gone or a zombie). */
export function commandLineOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return '';
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    // no /proc (macOS): ask ps
    try {
      return execFileSync('ps', ['-o', 'stat=,command=', '-p', String(pid)], { encoding: 'utf8' })
        .trim()
        .replace(/^Z\S*\s.*$/, '');
    } catch {
      return '';
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return commandLineOf(pid) !== '';
}

export async function writePidFile(file: string, pid: number): Promise<void> {
  await writeFileDurably(file, `${pid}\n`);
}

/**
 * Stops the process a pid file names when it still runs `marker` (a crashed run's child): SIGTERM, then SIGKILL
 * after `graceMs`. A pid reused by an unrelated process is left alone. Returns the pid stopped, if any.
 */
export async function stopLeftover(
  pidFile: string,
  marker: string,
  component: string,
  graceMs = 10_000,
): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number.parseInt(await readFile(pidFile, 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid || !commandLineOf(pid).includes(marker)) {
    await rm(pidFile, { force: true });
    return undefined;
  }
  const started = Date.now();
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // gone meanwhile
  }
  while (isAlive(pid) && Date.now() - started < graceMs) await new Promise((r) => setTimeout(r, 25));
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
    while (isAlive(pid) && Date.now() - started < graceMs + 5000) await new Promise((r) => setTimeout(r, 25));
  }
  await rm(pidFile, { force: true });
  noteStartup({
    component,
    file: pidFile,
    message: `stopped ${marker} (pid ${pid}) left running by an earlier run, in ${Date.now() - started} ms`,
  });
  return pid;
}

// Runs "$@" and ends it (SIGTERM) when stdin (the parent's end of a pipe) closes, i.e. when the parent dies however
// it dies; SIGTERM to the shell is passed on, and the shell exits with the child.
const WATCHDOG = `
exec 3<&0 </dev/null
"$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
( while read -r _ <&3; do :; done; kill -TERM "$child" 2>/dev/null ) &
watcher=$!
exec 3<&-
status=0
while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
kill "$watcher" 2>/dev/null
exit $status
`;

/**
 * Spawns `command` under a POSIX shell watchdog: the child is stopped when this process exits, even by SIGKILL.
 * stdout and stderr are the child's; stdin is the lifeline (do not write to it). Killing the returned process
 * (the shell) with SIGTERM stops the child gracefully.
 */
export function spawnWatched(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn('/bin/sh', ['-c', WATCHDOG, 'octember-watchdog', command, ...args], {
    ...options,
    stdio: ['pipe', options.stdio === 'ignore' ? 'ignore' : 'pipe', options.stdio === 'ignore' ? 'ignore' : 'pipe'],
  });
}
