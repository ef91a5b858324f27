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
  /** Its children are shown. */
  open: boolean
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

/** Natural order, created once: device2 before device10, case ignored (then by code point, so ties are stable). */
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0)
}

/** Branches with more children than this are not opened on their own: a fleet of devices would flood the tree. */
export const AUTO_EXPAND_MAX_CHILDREN = 20
/** Levels opened on their own (when small enough). */
export const AUTO_EXPAND_DEPTH = 2

/** Whether a branch at `depth` (0 for a top-level node) opens on its own: a shallow one with few children. */
export function autoExpands(n: TreeNode, depth: number): boolean {
  return depth < AUTO_EXPAND_DEPTH && n.children.size > 0 && n.children.size <= AUTO_EXPAND_MAX_CHILDREN
}

/**
 * Whether a branch is open: the user's choice when there is one, else the automatic rule (which
 * follows the tree: a branch that grows past the limit closes again until the user opens it).
 */
export function openState(choices: ReadonlyMap<string, boolean>): (n: TreeNode, depth: number) => boolean {
  return (n, depth) => choices.get(n.path) ?? autoExpands(n, depth)
}

/** Visible rows: children in natural order, descending only into expanded paths. */
export function flattenTree(root: TreeNode, expanded: ReadonlySet<string> | ((n: TreeNode, depth: number) => boolean)): TreeRow[] {
  const isOpen = typeof expanded === 'function' ? expanded : (n: TreeNode): boolean => expanded.has(n.path)
  const rows: TreeRow[] = []
  const walk = (n: TreeNode, depth: number): void => {
    const kids = [...n.children.values()].sort((a, b) => naturalCompare(a.name, b.name))
    for (const c of kids) {
      const expandable = c.children.size > 0
      const open = expandable && isOpen(c, depth)
      rows.push({ node: c, depth, expandable, open })
      if (open) walk(c, depth + 1)
    }
  }
  walk(root, 0)
  return rows
}

/** An MQTT filter selecting a node and everything below it. */
export function subtreeFilter(n: TreeNode): string {
  return n.children.size ? `${n.path}/#` : n.path
}
