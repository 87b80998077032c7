// `npm run token -- create --role ROLE [--teams t1,t2] --label "…"`, `list`, `revoke ID`.
// Works on the configured database; with embedded PGlite the server must be stopped (it holds
// the directory), or use the API: POST /api/v1/tokens.
import { parseArgs } from 'node:util';
import { createToken, listTokens, revokeToken, ROLES, type Role } from '../auth/tokens';
import { loadEnv } from '../env';
import { ApiError } from '../errors';
import { fail, openForCli } from './open';

const USAGE = `Usage:
  npm run token -- create --role admin|leader|manager|display|ingest --label "Who or what it is for" [--teams t1,t2] [--signed]
  npm run token -- list
  npm run token -- revoke ID

A manager token needs --teams (external ids of the teams it may see and coach).
An ingest token only writes (POST /api/v1/events/KIND, /ingest/KIND); with --signed it also gets
a signing secret, printed once, that every request must be signed with (X-Pairwise-Signature).
The token is printed once; only its hash is stored.`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    role: { type: 'string' },
    label: { type: 'string' },
    teams: { type: 'string' },
    signed: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
const [command, ...rest] = positionals;
if (values.help || !command) {
  console.log(USAGE);
  process.exit(command || values.help ? 0 : 2);
}
if (!['create', 'list', 'revoke'].includes(command)) fail(`Unknown command '${command}'.\n\n${USAGE}`);

let input: { role: Role; label: string; teams: string[]; signed?: boolean } | undefined;
let revokeId: number | undefined;
if (command === 'create') {
  if (!values.role || !(ROLES as readonly string[]).includes(values.role))
    fail(`--role must be one of ${ROLES.join(', ')}.\n\n${USAGE}`);
  if (!values.label?.trim()) fail(`--label is required: say who or what the token is for.\n\n${USAGE}`);
  if (values.signed && values.role !== 'ingest') fail(`--signed is only for --role ingest.\n\n${USAGE}`);
  input = {
    role: values.role as Role,
    label: values.label,
    teams: values.teams ? values.teams.split(',') : [],
    signed: values.signed === true,
  };
} else if (command === 'revoke') {
  revokeId = Number(rest[0]);
  if (!Number.isInteger(revokeId) || revokeId <= 0)
    fail(`revoke needs a token id (see \`npm run token -- list\`).\n\n${USAGE}`);
}

const env = loadEnv();
const opened = await openForCli(
  env,
  `  curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' \\\n    -d '{"role":"leader","label":"…"}' http://${env.HOST}:${env.PORT}/api/v1/tokens`,
);
const { db } = opened.database;
try {
  if (input) {
    const { token, record, signing_secret } = await createToken(db, input, null);
    console.log(
      `Created ${record.role} token ${record.id} "${record.label}"${record.teams.length ? ` for teams ${record.teams.join(', ')}` : ''}${record.signed ? ', signed' : ''}.`,
    );
    console.log('The token (shown only now):');
    console.log(`  ${token}`);
    if (signing_secret) {
      console.log(
        'The signing secret (shown only now): sign each body as X-Pairwise-Signature: t=<unix seconds>,sha256=<hex HMAC-SHA256(secret, "<t>.<body>")>',
      );
      console.log(`  ${signing_secret}`);
    }
    if (record.role === 'ingest') console.log(`Send events to: http://${env.HOST}:${env.PORT}/api/v1/events/KIND`);
    else console.log(`Sign-in link: http://${env.HOST}:${env.PORT}/login?token=${token}`);
    if (record.role === 'display') console.log(`TV link: http://${env.HOST}:${env.PORT}/tv?token=${token}`);
  } else if (revokeId !== undefined) {
    const record = await revokeToken(db, revokeId, null);
    if (!record) fail(`There is no token ${revokeId}.`);
    console.log(`Revoked token ${record.id} "${record.label}".`);
  } else {
    const tokens = await listTokens(db);
    if (tokens.length === 0) console.log('No tokens.');
    for (const t of tokens) {
      const state = t.revoked_at
        ? `revoked ${t.revoked_at.slice(0, 10)}`
        : t.last_used_at
          ? `last used ${t.last_used_at.slice(0, 16).replace('T', ' ')}`
          : 'never used';
      console.log(
        `${String(t.id).padStart(4)}  ${t.role.padEnd(8)} ${t.prefix.padEnd(11)} ${t.label}${t.teams.length ? ` [${t.teams.join(', ')}]` : ''}${t.signed ? ' [signed]' : ''}  (${state})`,
      );
    }
  }
} catch (err) {
  if (err instanceof ApiError) fail(err.message);
  throw err;
} finally {
  await opened.close();
}
