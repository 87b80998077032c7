// POST /events/{kind}: live events from a platform, group-committed (being built).
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context';

export function mountEvents(_api: OpenAPIHono<AppEnv>) {}
