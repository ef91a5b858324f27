/** Number, size, rate and time formatting in the current language. */

export function formatNumber(n: number, locale: string, digits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n)
}

export function formatBytes(bytes: number, locale: string): string {
  if (bytes < 1024) return `${formatNumber(bytes, locale)} B`
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, locale, 1)} KiB`
  return `${formatNumber(bytes / (1024 * 1024), locale, 1)} MiB`
}

export function formatRate(perSecond: number, locale: string): string {
  return formatNumber(perSecond, locale, perSecond < 10 ? 1 : 0)
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
