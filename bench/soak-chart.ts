import { writeFileSync } from 'node:fs';
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import type { SoakMinute } from './soak';

Chart.register(...registerables);

const WIDTH = 1200;
const PANEL_HEIGHT = 420;
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/** One chart.js line chart drawn on its own canvas (no animation, no responsiveness: there is no DOM). */
function panel(config: ChartConfiguration<'line'>): { canvas: Canvas; chart: Chart<'line'> } {
  const canvas = createCanvas(WIDTH, PANEL_HEIGHT);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, WIDTH, PANEL_HEIGHT);
  const chart = new Chart(context as unknown as ConstructorParameters<typeof Chart>[0], {
    ...config,
    options: { ...config.options, animation: false, responsive: false, devicePixelRatio: 1 },
  });
  chart.draw();
  // destroy() clears the canvas: the caller destroys the chart once the panel is copied.
  return { canvas, chart };
}

/**
 * The soak's figures per minute as one PNG, three panels: throughput and p99; relay and projection
 * lag; the RSS of each service process.
 */
export async function renderSoakChart(minutes: readonly SoakMinute[], file: string, title: string): Promise<void> {
  const labels = minutes.map((m) => String(m.minute));
  const line = (label: string, data: number[], colour: string, yAxisID = 'y') => ({
    label,
    data,
    borderColor: colour,
    backgroundColor: colour,
    yAxisID,
    tension: 0.2,
  });
  const axes = (left: string, right?: string) => ({
    x: { title: { display: true, text: 'minute' } },
    y: { title: { display: true, text: left }, beginAtZero: true, position: 'left' as const },
    ...(right === undefined
      ? {}
      : { y1: { title: { display: true, text: right }, beginAtZero: true, position: 'right' as const, grid: { drawOnChartArea: false } } }),
  });
  const panels = [
    panel({
      type: 'line',
      data: {
        labels,
        datasets: [
          line(
            'answered requests/s',
            minutes.map((m) => m.requestsPerSecond),
            COLOURS[0] as string,
          ),
          line(
            'commands/s',
            minutes.map((m) => m.commandsPerSecond),
            COLOURS[2] as string,
          ),
          line(
            'p99 ms',
            minutes.map((m) => m.p99Ms),
            COLOURS[3] as string,
            'y1',
          ),
          line(
            'p50 ms',
            minutes.map((m) => m.p50Ms),
            COLOURS[1] as string,
            'y1',
          ),
        ],
      },
      options: { plugins: { title: { display: true, text: title } }, scales: axes('per second', 'latency ms') },
    }),
    panel({
      type: 'line',
      data: {
        labels,
        datasets: [
          line(
            'relay lag (events, all services)',
            minutes.map((m) => m.relayLagEvents),
            COLOURS[4] as string,
          ),
          line(
            'projection lag (events, max)',
            minutes.map((m) => m.projectionLagEvents),
            COLOURS[5] as string,
          ),
          line(
            'projections inbox source lag (s, max)',
            minutes.map((m) => m.projectionsSourceLagSeconds),
            COLOURS[6] as string,
            'y1',
          ),
        ],
      },
      options: {
        plugins: { title: { display: true, text: 'Relay and projection lag (sampled at the end of each minute)' } },
        scales: axes('events', 'seconds'),
      },
    }),
    panel({
      type: 'line',
      data: {
        labels,
        datasets: Object.keys(minutes[0]?.rssMb ?? {}).map((service, i) =>
          line(
            service,
            minutes.map((m) => m.rssMb[service] ?? Number.NaN),
            COLOURS[i % COLOURS.length] as string,
          ),
        ),
      },
      options: { plugins: { title: { display: true, text: 'RSS of each service process (MB)' } }, scales: axes('MB') },
    }),
  ];
  const sheet = createCanvas(WIDTH, PANEL_HEIGHT * panels.length);
  const context = sheet.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, WIDTH, PANEL_HEIGHT * panels.length);
  panels.forEach(({ canvas, chart }, i) => {
    context.drawImage(canvas, 0, i * PANEL_HEIGHT);
    chart.destroy();
  });
  writeFileSync(file, await sheet.encode('png'));
}
