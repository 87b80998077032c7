// GET /docs: the OpenAPI document rendered as one readable page (no scripts, no CDN).
type Json = Record<string, unknown>;

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

/** Inline code and paragraphs from the little Markdown the descriptions use. */
const text = (s: unknown) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');

function schemaSummary(schema: Json | undefined, doc: Json): string {
  if (!schema) return '';
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop()!;
    const target = ((doc.components as Json)?.schemas as Json)?.[name] as Json | undefined;
    return `${esc(name)}${target ? ` ${schemaSummary(target, doc)}` : ''}`;
  }
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v) => `<code>${esc(v)}</code>`).join(', ')}`;
  if (schema.type === 'array') return `array of ${schemaSummary(schema.items as Json, doc) || 'items'}`;
  if (schema.type === 'object' && schema.properties) {
    const required = new Set((schema.required as string[]) ?? []);
    return `{ ${Object.keys(schema.properties as Json)
      .map((k) => `<code>${esc(k)}</code>${required.has(k) ? '' : '?'}`)
      .join(', ')} }`;
  }
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map((s) => schemaSummary(s, doc)).join(' | ');
  return esc(schema.type ?? '');
}

export function renderDocs(doc: Json): string {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>;
  const byTag = new Map<string, Array<[string, string, Json]>>();
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = ((op.tags as string[]) ?? ['Other'])[0]!;
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push([method.toUpperCase(), path, op]);
    }
  }
  const info = doc.info as Json;
  const sections = [...byTag.entries()].map(([tag, ops]) => {
    const items = ops.map(([method, path, op]) => {
      const params = ((op.parameters as Json[]) ?? []).map(
        (p) =>
          `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'required' : ''}</td><td>${schemaSummary(p.schema as Json, doc)} ${text(p.description ?? '')}</td></tr>`,
      );
      const body = op.requestBody as Json | undefined;
      const bodyTypes = body
        ? Object.entries((body.content ?? {}) as Record<string, Json>).map(
            ([t, c]) => `<li><code>${esc(t)}</code> ${schemaSummary(c.schema as Json, doc)}</li>`,
          )
        : [];
      const responses = Object.entries((op.responses ?? {}) as Record<string, Json>).map(
        ([code, r]) => `<li><b>${esc(code)}</b> ${text(r.description)}</li>`,
      );
      const secured = Array.isArray(op.security) && op.security.length > 0;
      return `<article id="${esc(`${method}-${path}`)}">
        <h3><span class="m m-${esc(method.toLowerCase())}">${esc(method)}</span> <code>/api/v1${esc(path)}</code></h3>
        <p>${text(op.summary)}${secured ? ' <span class="lock">bearer token</span>' : ' <span class="open">no authentication</span>'}</p>
        ${op.description ? `<p class="d">${text(op.description)}</p>` : ''}
        ${params.length ? `<table><thead><tr><th>parameter</th><th>in</th><th></th><th>value</th></tr></thead><tbody>${params.join('')}</tbody></table>` : ''}
        ${bodyTypes.length ? `<p>Body:</p><ul>${bodyTypes.join('')}</ul>` : ''}
        <p>Responses:</p><ul>${responses.join('')}</ul>
      </article>`;
    });
    return `<section><h2>${esc(tag)}</h2>${items.join('')}</section>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info?.title)} — docs</title>
<style>
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b2430;background:#f6f7f9;margin:0}
main{max-width:960px;margin:0 auto;padding:32px 24px 64px}
h1{margin:0 0 4px;font-size:28px}h2{margin:40px 0 12px;font-size:20px;border-bottom:1px solid #dde2e8;padding-bottom:6px}
article{background:#fff;border:1px solid #dde2e8;border-radius:10px;padding:14px 18px;margin:12px 0}
h3{margin:0 0 6px;font-size:16px}code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef1f5;border-radius:4px;padding:1px 4px}
.m{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:2px 6px}
.m-get{background:#1f3a5f}.m-post{background:#2d7a4f}.m-delete{background:#a33}.m-put,.m-patch{background:#8a5a00}
.lock,.open{font-size:12px;border-radius:10px;padding:1px 8px;margin-left:6px}.lock{background:#fdf3d8;color:#6b4e00}.open{background:#e4f2e9;color:#1d5a36}
table{border-collapse:collapse;width:100%;font-size:14px}td,th{border-top:1px solid #eef1f5;padding:4px 6px;text-align:left;vertical-align:top}
.d{color:#4a5563}ul{margin:4px 0 0;padding-left:20px}
</style></head><body><main>
<h1>${esc(info?.title)}</h1><p>${text(info?.description)}</p>
<p>Machine-readable: <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a>. Send <code>Authorization: Bearer &lt;token&gt;</code>; errors are <code>application/problem+json</code>.</p>
${sections.join('\n')}
</main></body></html>`;
}
