// Shared by the SDK drivers: the Base URL and key come from the recorder, and before each SDK call the
// driver notes in ROUTECHECK_CALLS_FILE how many requests the recorder's journal already holds, so
// record-client can tell which requests each call sent.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const baseURL = process.env.ROUTECHECK_BASE_URL;
export const apiKey = process.env.ROUTECHECK_API_KEY;
const callsFile = process.env.ROUTECHECK_CALLS_FILE;
const journalURL = process.env.ROUTECHECK_JOURNAL_URL;
if (!baseURL || !apiKey || !callsFile || !journalURL) {
  console.error('driver: ROUTECHECK_BASE_URL, ROUTECHECK_API_KEY, ROUTECHECK_CALLS_FILE, ROUTECHECK_JOURNAL_URL are required');
  process.exit(2);
}

// Load the client package from the install dir record-client was given, not from this repo.
export function requireClient(name) {
  const req = createRequire(path.join(process.env.ROUTECHECK_CLIENTS_DIR || process.cwd(), 'package.json'));
  return req(name);
}

async function journalCount() {
  const r = await fetch(journalURL);
  const j = await r.json();
  return j.filter((e) => !String(e.path).startsWith('/__routecheck/')).length;
}

// Runs one SDK call; a failure is noted and the next call still runs (the sequence is what matters).
export async function call(name, fn) {
  appendFileSync(callsFile, `${name}\t${await journalCount()}\n`);
  try {
    await fn();
    console.log(`${name}: ok`);
  } catch (e) {
    console.log(`${name}: error ${e && (e.status || e.code || e.name)}: ${String(e && e.message).slice(0, 200)}`);
  }
}

export async function drain(stream) {
  for await (const _ of stream) { /* consume every event */ }
}
