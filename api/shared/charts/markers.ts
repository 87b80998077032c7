// Shared by the web app and the server-drawn charts. Events on a weekly trend (annotations, coaching conversations) as dashed vertical lines on the
// week each falls in, labelled by their number or letter; several in one week share a line ("1, 2").
import type { MarkLineComponentOption } from 'echarts/components';

export interface WeekMarker {
  /** What the line is labelled with: a number (1, 2 …) or a letter (A, B …). */
  n: number | string;
  /** The ISO week label on the chart's category axis. */
  week: string;
}

export function weekMarkLine(
  markers: readonly WeekMarker[],
  colors: { line: string; ink: string },
): MarkLineComponentOption | undefined {
  if (markers.length === 0) return undefined;
  return {
    silent: true,
    symbol: ['none', 'none'],
    animation: false,
    lineStyle: { color: colors.line, type: [4, 3], width: 1.25 },
    label: {
      show: true,
      position: 'end',
      formatter: (p: { name?: string }) => p.name ?? '',
      color: colors.ink,
      fontWeight: 700,
      fontSize: 12,
      distance: 2,
    },
    data: [...new Set(markers.map((m) => m.week))].map((week) => ({
      xAxis: week,
      name: markers
        .filter((m) => m.week === week)
        .map((m) => String(m.n))
        .join(', '),
    })),
  };
}
