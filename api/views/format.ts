// Numbers as sentences on the server say them ("CSAT 78% → 84%"): the same conventions as the
// web's format.ts — proportions as whole percentages, seconds as "6m 40s", NPS signed.
import { metric } from '../metrics/registry';

export function formatValue(key: string, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const unit = metric(key)?.unit;
  switch (unit) {
    case 'proportion':
      return `${Math.round(value * 100)}%`;
    case 'seconds': {
      const s = Math.round(value);
      if (s < 60) return `${s}s`;
      const m = Math.floor(s / 60);
      if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
      return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
    }
    case 'nps':
      return `${value > 0 ? '+' : ''}${Math.round(value)}`;
    case 'score':
      return value.toFixed(1);
    case 'per_100':
      return value.toFixed(2);
    default:
      return Math.round(value).toLocaleString('en');
  }
}

/** The metric's label as it reads inside a sentence ("CSAT", "time on call"). */
export function sentenceLabel(key: string): string {
  const labels: Record<string, string> = {
    handle_avg: 'time on call',
    wait_avg: 'wait',
    resolution_rate: 'resolution',
    response_rate: 'response rate',
  };
  return labels[key] ?? metric(key)?.label ?? key;
}
