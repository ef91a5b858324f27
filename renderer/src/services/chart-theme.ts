/**
 * What the line charts of numeric series share (the device page's live chart, the history view):
 * their colours, read from the theme's CSS variables when drawn, and the tooltip and axes of a
 * time series with an optional unit.
 */

export interface ChartColors {
  text: string
  line: string
  grid: string
  /** Fill of the zoom slider. */
  soft: string
  /** Background of a stale stretch. */
  stale: string
}

export function chartColors(): ChartColors {
  const css = getComputedStyle(document.documentElement)
  const v = (name: string): string => css.getPropertyValue(name).trim()
  return { text: v('--muted'), line: v('--accent'), grid: v('--border'), soft: v('--accent-soft'), stale: v('--warn-soft') }
}

/** Tooltip and axes of a time series: time along x, values (with `unit` named) along y. */
export function timeSeriesAxes(c: ChartColors, unit: string | undefined, fmt: (v: number) => string) {
  return {
    tooltip: { trigger: 'axis' as const, valueFormatter: (v: unknown) => (typeof v === 'number' ? fmt(v) : String(v)) },
    xAxis: { type: 'time' as const, axisLabel: { color: c.text, hideOverlap: true }, axisLine: { lineStyle: { color: c.grid } }, splitLine: { show: false } },
    yAxis: {
      type: 'value' as const,
      scale: true,
      name: unit,
      nameGap: 8,
      nameTextStyle: { color: c.text, align: 'right' as const },
      axisLabel: { color: c.text },
      splitLine: { lineStyle: { color: c.grid } }
    }
  }
}
