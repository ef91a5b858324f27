/**
 * MQTT 3.1.1 topic names and filters (§4.7). The embedded broker gets this from Aedes; the
 * external broker routes remote deliveries to internal subscriptions itself, and both validate
 * what the engine publishes or subscribes to before handing it to a library that would not.
 */

const SLASH = 47
const PLUS = 43
const HASH = 35
const DOLLAR = 36

/** Longest UTF-8 string an MQTT packet can carry. */
const MAX_TOPIC_BYTES = 65535

/**
 * True when `topic` matches `filter`. `+` matches exactly one level (possibly empty), `#` the
 * parent level and everything below it, and a filter starting with a wildcard never matches a
 * topic starting with `$` (`$SYS/...`, [MQTT-4.7.2-1]). Runs once per message and subscription,
 * so it walks both strings instead of splitting them.
 */
export function matchesFilter(filter: string, topic: string): boolean {
  if (topic.charCodeAt(0) === DOLLAR) {
    const first = filter.charCodeAt(0)
    if (first === PLUS || first === HASH) return false
  }
  const fl = filter.length
  const tl = topic.length
  let fi = 0
  let ti = 0
  for (;;) {
    // Here fi and ti are both at the start of a level.
    const c = fi < fl ? filter.charCodeAt(fi) : -1
    if (c === HASH) return true
    if (c === PLUS && (fi + 1 === fl || filter.charCodeAt(fi + 1) === SLASH)) {
      while (ti < tl && topic.charCodeAt(ti) !== SLASH) ti++
      fi++
    } else {
      while (fi < fl && filter.charCodeAt(fi) !== SLASH) {
        if (ti >= tl || topic.charCodeAt(ti) !== filter.charCodeAt(fi)) return false
        fi++
        ti++
      }
      if (ti < tl && topic.charCodeAt(ti) !== SLASH) return false
    }
    const filterDone = fi >= fl
    const topicDone = ti >= tl
    if (filterDone) return topicDone
    if (topicDone) {
      // `a/#` also matches `a`: the only filter rest that matches nothing is `/#`.
      return fl === fi + 2 && filter.charCodeAt(fi + 1) === HASH
    }
    fi++
    ti++
  }
}

/** Why `topic` cannot be published to, or undefined when it can. */
export function topicNameProblem(topic: string): string | undefined {
  if (topic.length === 0) return 'the topic is empty'
  if (topic.includes('+') || topic.includes('#')) return `the topic "${topic}" contains a wildcard (+ or #)`
  if (topic.includes('\u0000')) return 'the topic contains a NUL character'
  if (Buffer.byteLength(topic) > MAX_TOPIC_BYTES) return 'the topic is longer than 65535 bytes'
  return undefined
}

/** Why `filter` is not a valid subscription filter, or undefined when it is. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter.length === 0) return 'the topic filter is empty'
  if (filter.includes('\u0000')) return 'the topic filter contains a NUL character'
  if (Buffer.byteLength(filter) > MAX_TOPIC_BYTES) return 'the topic filter is longer than 65535 bytes'
  const levels = filter.split('/')
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return `"${filter}": # must be a whole level and the last one`
    }
    if (level.includes('+') && level !== '+') return `"${filter}": + must be a whole level`
  }
  return undefined
}
