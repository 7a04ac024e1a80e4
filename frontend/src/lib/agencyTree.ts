import type { Agency } from '@/api/types'

export interface AgencyNode {
  agency: Agency
  children: AgencyNode[]
}

/**
 * Nests the API's flat agency list (tree order: parents before children, each with its
 * `depth`) so it can be shown as nested lists. An item whose depth jumps more than one
 * level is attached to the nearest shallower item before it.
 */
export function nestAgencies(items: readonly Agency[]): AgencyNode[] {
  const roots: AgencyNode[] = []
  const stack: AgencyNode[] = []
  for (const agency of items) {
    const node: AgencyNode = { agency, children: [] }
    while (stack.length > 0 && stack[stack.length - 1]!.agency.depth >= agency.depth) stack.pop()
    const parent = stack[stack.length - 1]
    if (parent) parent.children.push(node)
    else roots.push(node)
    stack.push(node)
  }
  return roots
}
