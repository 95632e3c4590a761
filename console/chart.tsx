import { useGraphiQL } from '@graphiql/react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef, useState, type ReactNode } from 'react';

// Only what the bar chart of an answer and the statistics page's line charts need: chart.js is
// tree-shaken into the console's bundle (no CDN, strict CSP). Registered once, here.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend, LineController, LineElement, PointElement);
export { Chart };

/** One figure of a statistics answer: `police.incidents`, its value, or null when withheld (small-cell suppression) or denied. */
export interface Figure {
  label: string;
  value: number | null;
}

/**
 * The figures of a statistics answer: every number under an object that lists `suppressedFields`
 * (each department's statistics), labelled by its path below the data root; a figure named in
 * `suppressedFields` or null is withheld. Lists are walked by index (monthly series).
 */
export function figuresOf(data: unknown, path: string[] = []): Figure[] {
  if (!data || typeof data !== 'object') return [];
  if (Array.isArray(data)) return data.flatMap((d, i) => figuresOf(d, [...path, String(i)]));
  const o = data as Record<string, unknown>;
  const out: Figure[] = [];
  if (Array.isArray(o.suppressedFields)) {
    const withheld = new Set(o.suppressedFields as string[]);
    const label = (k: string) => [...path.slice(-1), k].join('.');
    for (const [k, v] of Object.entries(o)) {
      if (k === 'suppressedFields') continue;
      if (typeof v === 'number') out.push({ label: label(k), value: withheld.has(k) ? null : v });
      else if (v === null) out.push({ label: label(k), value: null });
    }
    return out;
  }
  for (const [k, v] of Object.entries(o)) out.push(...figuresOf(v, [...path, k]));
  return out;
}

/** A bar chart of the active tab's statistics answer; withheld figures are listed under it, not drawn as 0. */
export function ChartPanel({ onClose }: { onClose: () => void }): ReactNode {
  const responseEditor = useGraphiQL((s) => s.responseEditor);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [figures, setFigures] = useState<Figure[] | null>(null);
  const [problem, setProblem] = useState('');

  const read = () => {
    setProblem('');
    try {
      const answer = JSON.parse(responseEditor?.getValue() || 'null') as { data?: unknown } | null;
      const found = figuresOf(answer?.data);
      if (!found.length) setProblem('No statistics in the answer: run a query that selects statistics with suppressedFields (the DistrictStatistics example).');
      setFigures(found);
    } catch {
      setProblem('Run a query first: the answer is not JSON yet.');
      setFigures([]);
    }
  };
  useEffect(read, [responseEditor]);

  useEffect(() => {
    const shown = figures?.filter((f) => f.value !== null) ?? [];
    if (!canvas.current || !shown.length) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels: shown.map((f) => f.label), datasets: [{ label: 'count', data: shown.map((f) => f.value), backgroundColor: '#1f3a5f' }] },
      options: { animation: false, maintainAspectRatio: false, indexAxis: 'y', plugins: { legend: { display: false } } },
    });
    return () => chart.destroy();
  }, [figures]);

  const withheld = figures?.filter((f) => f.value === null) ?? [];
  return (
    <div className="hub-compare" data-testid="chart-panel">
      <div className="hub-compare-bar">
        <strong>Chart of the answer</strong>
        <button type="button" data-testid="chart-refresh" onClick={read}>
          Read the answer again
        </button>
        <span className="hub-legend" data-testid="chart-summary">
          {figures ? `${figures.length - withheld.length} figures drawn, ${withheld.length} withheld` : ''}
        </span>
        <button type="button" className="hub-close" aria-label="Close the chart" onClick={onClose}>
          ×
        </button>
      </div>
      {problem ? <div className="hub-error">{problem}</div> : null}
      <div className="hub-chart">
        <canvas ref={canvas} data-testid="chart-canvas" />
      </div>
      {withheld.length ? (
        <div className="hub-withheld" data-testid="chart-withheld">
          Withheld (small counts or not yours to see): {withheld.map((f) => f.label).join(', ')}
        </div>
      ) : null}
    </div>
  );
}
