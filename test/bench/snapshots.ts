// The TV's stream as the benchmarks watch it: today's contacts of each snapshot, as it arrives.
const CONTACTS = /"contacts":\{"metric":"contacts","value":(null|\d+)/;

/** Today's contacts in a TV snapshot's JSON text (0 when it has none). */
export function contactsOf(text: string): number {
  const m = CONTACTS.exec(text);
  return m && m[1] !== 'null' ? Number(m[1]) : 0;
}

/**
 * Reads `GET /api/v1/live` and calls `onContacts` with each snapshot's count of today's contacts;
 * resolves when the stream ends, rejects when it cannot be read (or `signal` aborts it).
 */
export async function watchContacts(
  base: string,
  token: string,
  signal: AbortSignal,
  onContacts: (contacts: number) => void,
): Promise<void> {
  const res = await fetch(`${base}/api/v1/live`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal,
  });
  if (res.status !== 200) throw new Error(`GET /live: ${res.status}`);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let end: number;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      if (!block.startsWith('event: snapshot')) continue;
      onContacts(contactsOf(block));
    }
  }
}
