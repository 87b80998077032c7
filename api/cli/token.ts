// `npm run token -- create --role ROLE [--teams t1,t2] --label "…"`, `list`, `revoke ID`.
// Works on the configured database; with embedded PGlite the server must be stopped (it holds
// the directory), or use the API: POST /api/v1/tokens.
import { parseArgs } from 'node:util';
import { createToken, listTokens, revokeToken, ROLES, type Role } from '../auth/tokens';
import { loadEnv } from '../env';
import { ApiError } from '../errors';
import { fail, openForCli } from './open';

const USAGE = `Usage:
  npm run token -- create --role admin|leader|manager|display --label "Who or what it is for" [--teams t1,t2]
  npm run token -- list
  npm run token -- revoke ID

A manager token needs --teams (external ids of the teams it may see and coach).
The token is printed once; only its hash is stored.`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    role: { type: 'string' },
    label: { type: 'string' },
    teams: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
const [command, ...rest] = positionals;
if (values.help || !command) {
  console.log(USAGE);
  process.exit(command || values.help ? 0 : 2);
}
if (!['create', 'list', 'revoke'].includes(command)) fail(`Unknown command '${command}'.\n\n${USAGE}`);

let input: { role: Role; label: string; teams: string[] } | undefined;
let revokeId: number | undefined;
if (command === 'create') {
  if (!values.role || !(ROLES as readonly string[]).includes(values.role)) fail(`--role must be one of ${ROLES.join(', ')}.\n\n${USAGE}`);
  if (!values.label?.trim()) fail(`--label is required: say who or what the token is for.\n\n${USAGE}`);
  input = { role: values.role as Role, label: values.label, teams: values.teams ? values.teams.split(',') : [] };
} else if (command === 'revoke') {
  revokeId = Number(rest[0]);
  if (!Number.isInteger(revokeId) || revokeId <= 0) fail(`revoke needs a token id (see \`npm run token -- list\`).\n\n${USAGE}`);
}

const env = loadEnv();
const opened = await openForCli(
  env,
  `  curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' \\\n    -d '{"role":"leader","label":"…"}' http://${env.HOST}:${env.PORT}/api/v1/tokens`,
);
const { db } = opened.database;
try {
  if (input) {
    const { token, record } = await createToken(db, input, null);
    console.log(`Created ${record.role} token ${record.id} "${record.label}"${record.teams.length ? ` for teams ${record.teams.join(', ')}` : ''}.`);
    console.log('The token (shown only now):');
    console.log(`  ${token}`);
    console.log(`Sign-in link: http://${env.HOST}:${env.PORT}/login?token=${token}`);
    if (record.role === 'display') console.log(`TV link: http://${env.HOST}:${env.PORT}/tv?token=${token}`);
  } else if (revokeId !== undefined) {
    const record = await revokeToken(db, revokeId, null);
    if (!record) fail(`There is no token ${revokeId}.`);
    console.log(`Revoked token ${record.id} "${record.label}".`);
  } else {
    const tokens = await listTokens(db);
    if (tokens.length === 0) console.log('No tokens.');
    for (const t of tokens) {
      const state = t.revoked_at ? `revoked ${t.revoked_at.slice(0, 10)}` : t.last_used_at ? `last used ${t.last_used_at.slice(0, 16).replace('T', ' ')}` : 'never used';
      console.log(`${String(t.id).padStart(4)}  ${t.role.padEnd(8)} ${t.prefix.padEnd(11)} ${t.label}${t.teams.length ? ` [${t.teams.join(', ')}]` : ''}  (${state})`);
    }
  }
} catch (err) {
  if (err instanceof ApiError) fail(err.message);
  throw err;
} finally {
  await opened.close();
}
