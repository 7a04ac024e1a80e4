import type { ChartOption } from './charts'

// The options of the statistics charts, built from plain labelled numbers (so they are the
// same numbers as the tables beside them). Colours have at least 3:1 contrast on white; the
// tables, not the colours, carry the meaning.

export const CHART_COLORS = {
  brand: '#8a1c14',
  blue: '#0b4b8f',
  green: '#0d6b2e',
  grey: '#5a5a5a',
  orange: '#a04a00',
  purple: '#4c2c92',
} as const

const TEXT = '#1a1a1a'
const FONT = 14

export interface Bar {
  label: string
  value: number
  color?: string
}

/** Horizontal bars, one per label, each with its number at the end. */
export function barOption(bars: readonly Bar[], formatValue: (n: number) => string): ChartOption {
  return {
    animation: false,
    textStyle: { color: TEXT, fontSize: FONT },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', confine: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: TEXT, fontSize: FONT } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: bars.map((b) => b.label),
      axisLabel: { color: TEXT, fontSize: FONT, width: 110, overflow: 'break' },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 32,
        data: bars.map((b) => ({ value: b.value, itemStyle: { color: b.color ?? CHART_COLORS.blue } })),
        label: { show: true, position: 'right', color: TEXT, fontSize: FONT, formatter: (p) => formatValue(Number(p.value)) },
      },
    ],
  }
}

export interface MonthPoint {
  label: string
  consultations: number
  comments: number
}

/** Consultations per month as bars (left axis), comments as a line (right axis). */
export function monthlyOption(
  points: readonly MonthPoint[],
  names: { consultations: string; comments: string },
): ChartOption {
  return {
    animation: false,
    textStyle: { color: TEXT, fontSize: FONT },
    legend: { bottom: 0, textStyle: { color: TEXT, fontSize: FONT } },
    tooltip: { trigger: 'axis', confine: true },
    grid: { left: 8, right: 8, top: 36, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: points.map((p) => p.label), axisLabel: { color: TEXT, fontSize: FONT, hideOverlap: true } },
    yAxis: [
      { type: 'value', name: names.consultations, minInterval: 1, axisLabel: { color: TEXT }, nameTextStyle: { color: TEXT, align: 'left' } },
      { type: 'value', name: names.comments, minInterval: 1, axisLabel: { color: TEXT }, nameTextStyle: { color: TEXT, align: 'right' }, splitLine: { show: false } },
    ],
    series: [
      {
        type: 'bar',
        name: names.consultations,
        yAxisIndex: 0,
        barMaxWidth: 32,
        itemStyle: { color: CHART_COLORS.blue },
        data: points.map((p) => p.consultations),
      },
      {
        type: 'line',
        name: names.comments,
        yAxisIndex: 1,
        symbol: 'circle',
        symbolSize: 8,
        lineStyle: { width: 3 },
        itemStyle: { color: CHART_COLORS.brand },
        data: points.map((p) => p.comments),
      },
    ],
  }
}
