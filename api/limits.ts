// Every limit the API enforces, in one place, so that the README's "Limits" table, the problems
// that name a limit (`limit` in the problem body, see limitReached in errors.ts) and the code agree.
// Each section belongs to the part of the API that enforces it.

/** Dates: every date the API accepts or computes lies in this range (inclusive). */
export const DATE_RANGE = { min: '1900-01-01', max: '2200-12-31' } as const;

/** Request bodies, outside ingest (which streams and keeps its own limits below). */
export const BODY = {
  /** Any JSON body of a route other than ingest. */
  jsonBytes: 256 * 1024,
  /** Sign-in: a token and nothing more. */
  signInBytes: 4 * 1024,
} as const;

/** JSON bodies (outside ingest): nesting beyond this is no real settings or note, only a stack to overflow. */
export const JSON_DEPTH = 32;

/** Seconds a client is told to wait (Retry-After) after a statement timeout or a lost database connection. */
export const STATEMENT_RETRY_SECONDS = 5;

// Sign-in and tokens

/** Failed token checks (sign-in, bearer tokens, login links) per client address: a typo or ten costs nothing, guessing crawls. */
export const TOKEN_FAILURES_PER_ADDRESS = { burst: 10, perMinute: 10 } as const;
/** Failed token checks over every address together, so that many addresses (a botnet) cannot guess faster either. */
export const TOKEN_FAILURES_OVERALL = { burst: 100, perMinute: 120 } as const;
/** Addresses whose failures are remembered: memory stays bounded, the least recently failing are forgotten first. */
export const TOKEN_FAILURE_ADDRESSES = 10_000;
/** A token that worked from an address skips the limits there for this long, so a locked-out neighbour never locks out a working client. */
export const TOKEN_KNOWN_GOOD = { entries: 10_000, minutes: 60 } as const;

// Ingest

/**
 * POST /ingest/{kind}: a body is received into a temporary file before any lock or database
 * connection is taken, then waits its turn to be imported.
 */
export const INGEST = {
  /** Bodies being received or waiting their turn at once; each holds a socket and a temporary file. */
  uploads: 16,
  /** Bytes of every received body on disk together, so that many or large uploads cannot fill the disk. */
  spoolBytes: 2 * 1024 ** 3,
  /** One CSV body: 2,000,000 rows of interactions are about 230 MB; larger files go through `npm run import`. */
  csvBytes: 1024 ** 3,
  /** One JSON body: it is parsed whole, in memory. */
  jsonBytes: 64 * 1024 ** 2,
  /** Rows one request may carry (each batch is one transaction, and its ids are remembered in memory). */
  rows: 2_000_000,
  /** Seconds an upload may send nothing before it is cut off: a stalled client must not keep its slot. */
  idleSeconds: 30,
  /** Imports running at once in this process: the ingest lock lets one write at a time, a second would only hold a pooled connection. */
  running: 1,
  /** Received batches waiting their turn; past this, 503 at once. */
  queue: 8,
  /** Seconds a received batch may wait for its turn (a 2,000,000-row import takes about a minute). */
  queueSeconds: 120,
  /** Retry-After when uploads or the queue are full. */
  retryAfterSeconds: 10,
  /** Each statement of an import may take this long (the connections' statement_timeout is for reads; a whole batch's rollups take longer). */
  statementTimeoutMs: 10 * 60_000,
} as const;

// Live events (POST /events/{kind}): small bodies, group-committed per kind

export const EVENTS = {
  /** Records one request may carry: a webhook delivers one event or a small batch, not a file. */
  records: 1_000,
  /** Bytes of one request's body (read whole, then parsed and its signature checked). */
  bodyBytes: 1024 * 1024,
  /** Rows one group commit takes from a kind's queue (one transaction). */
  groupRows: 5_000,
  /**
   * On PGlite, ms a committer waits for more arrivals when fewer than `groupRows / 10` rows are
   * queued: one thread runs everything there, and a request's own queries must get through before
   * it can join (16 senders: 24 events/s without, 78–105 with). On PostgreSQL none: the next group
   * gathers while the previous one commits (306–346 events/s without, 219–264 with 10 ms).
   */
  windowMs: 10,
  /** Rows queued per kind (not yet committing); past this, 503 at once. */
  queueRows: 20_000,
  /** Retry-After when a kind's queue is full or the server is closing. */
  retryAfterSeconds: 2,
  /** Seconds a signature's timestamp may differ from this server's clock (replays are refused after). */
  signatureSkewSeconds: 300,
} as const;

// Sources (an organisation's own files through a mapping; received within the INGEST limits)

export const SOURCES = {
  /** One XLSX file: a workbook is unzipped and read whole, in memory. */
  xlsxBytes: 64 * 1024 ** 2,
  /** A preview form (mapping and file): received in memory; larger files are checked through a saved source's dry run. */
  previewBytes: 64 * 1024 ** 2,
  /** Rows a proposal reads for keys and formats: enough for a year of a large centre's calls, bounded in time and memory. */
  inferRows: 1_000_000,
  /** Rows shown with what each becomes. */
  previewRows: 20,
} as const;

// Reads: metrics, views, coaching

/**
 * Values one GET /metrics answer may hold: periods × values of `by` in scope × metrics (× 2 with
 * compare=previous). 50–140 bytes of JSON each (a row of one metric costs most): the largest
 * answer is ~14 MB and ~2 s, some 150–250 MB of memory, where 5 years by day by agent was 105 MB.
 */
export const METRICS_MAX_CELLS = 100_000;
/** Days a coaching view (/views/coach, /views/coach/team/{id}) may span: a year of ISO weeks (53) is the longest the pages show. */
export const COACH_MAX_DAYS = 371;
/** Every statement on a server connection (set where connections are opened, db/client.ts). */
export { STATEMENT_TIMEOUT_MS } from '../db/client';

// Queue snapshots (queue_status): the wallboard's staleness and the history a request may ask for

export const QUEUE = {
  /** A snapshot older than this is stale: the wallboard says so instead of showing it as current. */
  staleSeconds: 60,
  /** A snapshot this far ahead of the server's clock is refused: it would stay "newest" and block real ones. */
  futureSkewSeconds: 300,
  /** Snapshots one call may carry (a platform pushes one per queue every few seconds). */
  maxRecords: 5_000,
  /** GET /queue/history answers by minute up to this many hours, by hour beyond. */
  minuteGrainMaxHours: 24,
  /** GET /queue/history spans at most this many days. */
  historyMaxDays: 93,
  /** Minutes of history the wallboard's compact line shows. */
  tvHistoryMinutes: 60,
} as const;
