import { describe, expect, it } from 'vitest'
import { matchesFilter, topicFilterProblem, topicNameProblem } from '../../../electron/engine/broker/topic-filter'
import { AGENT_TOPIC_FILTERS } from '../../../electron/engine/broker/types'
import { agentTopicVariants } from '../../contract/broker.contract'

/** The rules of MQTT 3.1.1 §4.7 written the obvious way, to check the allocation-free matcher. */
function reference(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true
    if (i >= t.length) return false
    if (f[i] !== '+' && f[i] !== t[i]) return false
  }
  return f.length === t.length
}

describe('matchesFilter', () => {
  it.each([
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a/', true],
    ['a/+', 'a', false],
    ['a/+', 'a/b/c', false],
    ['+/+', '/x', true],
    ['+', '/x', false],
    ['/+', '/x', true],
    ['#', 'a/b/c', true],
    ['#', '/', true],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['a/#', 'ab', false],
    ['a/b/#', 'a', false],
    ['+/b/#', 'x/b', true],
    ['#', '$SYS/broker/uptime', false],
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
    ['$SYS/+/uptime', '$SYS/broker/uptime', true],
    ['/+/+/attrs', '/k/d/attrs', true],
    ['/+/+/attrs', 'k/d/attrs', false],
    ['+/+/attrs', 'k/d/attrs', true],
    ['+/+/attrs', '/k/d/attrs', false],
    ['/ul/+/+/attrs', '/ul/k/d/attrs', true],
    ['abc', 'ab', false],
    ['ab', 'abc', false]
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(matchesFilter(filter, topic)).toBe(expected)
    expect(reference(filter, topic)).toBe(expected)
  })

  it('agrees with the reference on random filters and topics', () => {
    // A small deterministic generator: the same cases on every run.
    let seed = 12345
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    const words = ['', 'a', 'b', 'ab', 'ul', '$x', 'attrs']
    const topic = (): string => Array.from({ length: 1 + next(4) }, () => words[next(words.length)]!).join('/')
    const filter = (): string => {
      const levels = Array.from({ length: 1 + next(4) }, () => (next(3) === 0 ? '+' : words[next(words.length)]!))
      if (next(4) === 0) levels[levels.length - 1] = '#'
      return levels.join('/')
    }
    for (let i = 0; i < 20_000; i++) {
      const f = filter()
      const t = topic()
      expect(matchesFilter(f, t), `${f} vs ${t}`).toBe(reference(f, t))
    }
  })

  it('matches every agent topic variant by exactly one of the agent filters', () => {
    for (const topic of agentTopicVariants('4jggokgpepnvsb2uv4s40d59ov', 'device001')) {
      expect(AGENT_TOPIC_FILTERS.filter((f) => matchesFilter(f, topic)), topic).toHaveLength(1)
    }
  })
})

describe('topic validation', () => {
  it('accepts topic names without wildcards', () => {
    expect(topicNameProblem('/k/d/attrs')).toBeUndefined()
    expect(topicNameProblem('$app/x')).toBeUndefined()
    expect(topicNameProblem('')).toMatch(/empty/)
    expect(topicNameProblem('a/+/b')).toMatch(/wildcard/)
    expect(topicNameProblem('a/#')).toMatch(/wildcard/)
    expect(topicNameProblem('a\u0000b')).toMatch(/NUL/)
  })

  it('accepts filters with whole-level wildcards, # last', () => {
    for (const ok of ['#', '+', 'a/#', '+/+/attrs', '/+/#', '$SYS/#']) expect(topicFilterProblem(ok), ok).toBeUndefined()
    for (const bad of ['', 'a/#/b', 'a#', 'a/b#', 'a+/b', 'a/+b']) expect(topicFilterProblem(bad), bad).toBeDefined()
  })
})
