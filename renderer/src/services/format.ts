/** Number, size, rate and time formatting in the current language. */

export function formatNumber(n: number, locale: string, digits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n)
}

export function formatBytes(bytes: number, locale: string): string {
  if (bytes < 1024) return `${formatNumber(bytes, locale)} B`
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, locale, 1)} KiB`
  return `${formatNumber(bytes / (1024 * 1024), locale, 1)} MiB`
}

/**
 * A rate per second: one decimal below 10/s ("0,2" in pt-BR, "0.2" in en), whole numbers from
 * 10/s ("12"); a rate too small for one decimal reads "< 0,1", never "0".
 */
export function formatRate(perSecond: number, locale: string): string {
  if (!(perSecond > 0)) return formatNumber(0, locale)
  if (perSecond < 0.05) return `< ${formatNumber(0.1, locale, 1)}`
  if (perSecond < 9.95) return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(perSecond)
  return formatNumber(perSecond, locale)
}

export function formatTime(ms: number, locale: string): string {
  const d = new Date(ms)
  const base = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
  return `${base}.${String(d.getMilliseconds()).padStart(3, '0')}`
}

export function formatDuration(ms: number, locale: string): string {
  if (ms < 1000) return `${formatNumber(ms, locale)} ms`
  return `${formatNumber(ms / 1000, locale, 2)} s`
}
