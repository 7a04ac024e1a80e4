// Apache ECharts, only the parts the statistics page draws with: bar and line charts on a
// grid, with a legend and tooltips, drawn as SVG. Loaded on demand (import('@/lib/charts'))
// so that no other page, and not the statistics tables either, waits for it.
import { init, use, type ComposeOption, type ECharts } from 'echarts/core'
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts'
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components'
import { SVGRenderer } from 'echarts/renderers'

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer])

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>
export type { ECharts }

/** A chart in `el`, drawn as SVG; its size follows the element (call `resize()`). */
export function createChart(el: HTMLElement, locale: string): ECharts {
  return init(el, undefined, { renderer: 'svg', locale: locale === 'en' ? 'EN' : 'ZH' })
}
