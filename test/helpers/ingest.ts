// Ingests CSV text or JSON through the same pipeline the API and CLI use.
import type { Database } from '../../db/client';
import { ingest, type IngestOptions } from '../../api/ingest/ingest';
import type { Kind } from '../../api/ingest/kinds';
import { csvSource, jsonSource } from '../../api/ingest/sources';

async function* bytesOf(text: string, chunk = 64): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
}

export async function ingestCsv(database: Database, kind: Kind, text: string, options: Partial<IngestOptions> = {}) {
  return ingest(database, kind, await csvSource(bytesOf(text)), {
    timeZone: 'UTC',
    actor: 'test',
    source: 'test',
    ...options,
  });
}

export async function ingestJson(database: Database, kind: Kind, body: unknown, options: Partial<IngestOptions> = {}) {
  return ingest(database, kind, jsonSource(body), { timeZone: 'UTC', actor: 'test', source: 'test', ...options });
}

/** A CSV from a header and rows of cells. */
export const csv = (header: string, ...rows: string[]) => [header, ...rows].join('\n') + '\n';
