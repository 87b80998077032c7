// The coaching charts' colours: one neutral ink for agents (no colour says "bad agent"), the app's
// blue/amber for the pair (api/shared/charts/palette.ts) with lighter bands, the shared text style.
import { palette } from '../../../../../api/shared/charts/palette';

export { textStyle } from '../../../../../api/shared/charts/palette';

export const colors = {
  agent: '#1f3a5f',
  agentSoft: 'rgba(31, 58, 95, 0.55)',
  star: '#b57900',
  median: '#7b8796',
  op: palette.op,
  opBand: 'rgba(143, 184, 232, 0.26)',
  ex: palette.ex,
  exBand: 'rgba(242, 193, 78, 0.3)',
  ink: palette.ink,
  muted: palette.muted,
  grid: palette.grid,
  axis: palette.axis,
} as const;

/** A five-pointed star as an ECharts path symbol (bright spots). */
export const STAR =
  'path://M12 1.5l3.09 6.26 6.91 1-5 4.87 1.18 6.88L12 17.27l-6.18 3.24L7 13.63l-5-4.87 6.91-1L12 1.5z';
