// How ECharts (zrender) measures text: with the browser's canvas, as it would, but one question is
// answered without asking. zrender takes a line's height to be the width of '国', a CJK ideograph,
// one em wide in every font that has it. Where no installed font has it (many Linux machines, CI),
// the browser first searches every font for each size and weight asked: 3–15 ms each, some 30 ms
// on the first chart. One em is the answer a machine with CJK fonts gives, and zrender's own when
// it has no canvas.

const WIDE = '国';
const DEFAULT_FONT = '12px sans-serif'; // zrender's

let ctx: CanvasRenderingContext2D | null | undefined;
let ctxFont = '';

/** The font's size in CSS pixels ("normal 700 11px system-ui, …" → 11). */
function fontSize(font: string): number {
  const m = /(\d*\.?\d+)px/.exec(font);
  return m ? Number(m[1]) : 12;
}

export function measureText(text: string, font = DEFAULT_FONT): { width: number } {
  if (text === WIDE) return { width: fontSize(font) };
  ctx ??= typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!ctx) return { width: fontSize(font) * text.length * 0.6 }; // no canvas (not a browser): a rough guess
  if (font !== ctxFont) ctx.font = ctxFont = font;
  return ctx.measureText(text);
}
