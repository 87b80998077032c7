// The ready-to-paste request an ingest token's sender makes: URL, headers, a one-record body and
// a shell command that signs it with openssl, so a platform's webhook can be checked by hand first.

export const SIGNATURE_HEADER = 'X-Pairwise-Signature';
/** How old a signature's timestamp may be before the API refuses the request. */
export const SIGNATURE_MAX_AGE_MINUTES = 5;

export interface IngestExample {
  url: string;
  headers: string;
  body: string;
  shell: string;
}

/** Quotes a value for a POSIX shell: single quotes, an embedded one closed and escaped. */
export const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * The example for a new ingest token. `team` should be a team that exists (interactions must name
 * one); `now` fixes the example record's time and id.
 */
export function ingestExample(opts: {
  origin: string;
  token: string;
  secret?: string;
  team: string;
  now?: Date;
}): IngestExample {
  const now = opts.now ?? new Date();
  const url = `${opts.origin}/api/v1/events/interactions`;
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const records = [
    {
      external_id: `example-${stamp.replace(/[^0-9]/g, '')}`,
      occurred_at: stamp,
      team: opts.team,
      channel: 'phone',
      answered: true,
      wait_seconds: 42,
      handle_seconds: 310,
      resolved: true,
    },
  ];
  // Laid out to read: the signature covers whatever bytes are sent, line breaks included.
  const body = JSON.stringify(records, null, 2);

  const headers = [
    `Authorization: Bearer ${opts.token}`,
    'Content-Type: application/json',
    ...(opts.secret ? [`${SIGNATURE_HEADER}: t=<unix seconds>,sha256=<HMAC-SHA256 in hex>`] : []),
  ].join('\n');

  const shell = [
    `URL=${shellQuote(url)}`,
    `TOKEN=${shellQuote(opts.token)}`,
    ...(opts.secret ? [`SECRET=${shellQuote(opts.secret)}`] : []),
    `BODY=${shellQuote(body)}`,
    ...(opts.secret
      ? [
          'T=$(date +%s)',
          // awk takes the last field: OpenSSL 1.1 prints "(stdin)= hex", 3.x "SHA2-256(stdin)= hex".
          `SIG=$(printf '%s.%s' "$T" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | awk '{print $NF}')`,
        ]
      : []),
    'curl -sS --fail-with-body -X POST "$URL" \\',
    '  -H "Authorization: Bearer $TOKEN" \\',
    "  -H 'Content-Type: application/json' \\",
    ...(opts.secret ? [`  -H "${SIGNATURE_HEADER}: t=$T,sha256=$SIG" \\`] : []),
    '  --data-binary "$BODY"',
  ].join('\n');

  return { url, headers, body, shell };
}
