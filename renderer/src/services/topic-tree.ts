/** The inspector's topic tree, built from `inspector.topics` and flattened for a virtual list. */

export interface TopicStat {
  topic: string
  count: number
  bytes: number
  lastTime: number
  rate: number
  errors: number
}

export interface TreeNode {
  name: string
  path: string
  count: number
  rate: number
  errors: number
  lastTime: number
  /** Messages on exactly this topic (0 for a pure branch). */
  own: number
  children: Map<string, TreeNode>
}

export interface TreeRow {
  node: TreeNode
  depth: number
  expandable: boolean
}

function node(name: string, path: string): TreeNode {
  return { name, path, count: 0, rate: 0, errors: 0, lastTime: 0, own: 0, children: new Map() }
}

export function buildTree(stats: readonly TopicStat[]): TreeNode {
  const root = node('', '')
  for (const s of stats) {
    let cur = root
    const parts = s.topic.split('/')
    parts.forEach((part, i) => {
      const path = parts.slice(0, i + 1).join('/')
      let next = cur.children.get(part)
      if (!next) cur.children.set(part, (next = node(part, path)))
      next.count += s.count
      next.rate += s.rate
      next.errors += s.errors
      next.lastTime = Math.max(next.lastTime, s.lastTime)
      cur = next
    })
    cur.own += s.count
    root.count += s.count
    root.rate += s.rate
    root.errors += s.errors
  }
  return root
}

/** Visible rows: children sorted by name, descending only into expanded paths. */
export function flattenTree(root: TreeNode, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = []
  const walk = (n: TreeNode, depth: number): void => {
    const kids = [...n.children.values()].sort((a, b) => a.name.localeCompare(b.name))
    for (const c of kids) {
      rows.push({ node: c, depth, expandable: c.children.size > 0 })
      if (c.children.size && expanded.has(c.path)) walk(c, depth + 1)
    }
  }
  walk(root, 0)
  return rows
}

/** An MQTT filter selecting a node and everything below it. */
export function subtreeFilter(n: TreeNode): string {
  return n.children.size ? `${n.path}/#` : n.path
}
