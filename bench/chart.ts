// One SVG chart per benchmark, drawn with vega-lite in Node (no browser, no canvas): each run as a
// dot and the median as a tick, per compared variant.
import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

export interface ChartSeries { label: string, samples: number[] }

export async function dotChart (title: string, unit: string, series: ChartSeries[]): Promise<string> {
  const values = series.flatMap((entry) => entry.samples.map((value) => ({ variant: entry.label, value })))
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 520,
    height: { step: 34 },
    data: { values },
    layer: [
      { mark: { type: 'point', opacity: 0.55, filled: true }, encoding: { x: { field: 'value', type: 'quantitative', title: unit, scale: { zero: true } }, y: { field: 'variant', type: 'nominal', title: null, sort: null } } },
      { mark: { type: 'tick', thickness: 3, size: 26, color: '#0f766e' }, encoding: { x: { aggregate: 'median', field: 'value', type: 'quantitative' }, y: { field: 'variant', type: 'nominal', sort: null } } }
    ],
    config: { font: 'sans-serif', background: 'white' }
  }
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  return await view.toSVG()
}

/** Stacked bars: where the time of each variant goes. */
export async function breakdownChart (title: string, unit: string, parts: Array<{ variant: string, part: string, value: number }>): Promise<string> {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 520,
    height: { step: 34 },
    data: { values: parts.map((part, order) => ({ ...part, order })) },
    mark: 'bar',
    encoding: {
      x: { field: 'value', type: 'quantitative', title: unit, stack: 'zero' },
      y: { field: 'variant', type: 'nominal', title: null, sort: null },
      color: { field: 'part', type: 'nominal', title: 'step', sort: null },
      order: { field: 'order', type: 'quantitative' }
    },
    config: { font: 'sans-serif', background: 'white' }
  }
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  return await view.toSVG()
}
