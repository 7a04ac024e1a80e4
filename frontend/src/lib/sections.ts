// Draft sections (章/节/条/款/项) as a tree, from the API's flat list in reading order.

export interface SectionLike {
  kind: string
  label: string
  heading: string
  text: string
}

export interface SectionNode<S extends SectionLike> {
  section: S
  depth: number
  children: SectionNode<S>[]
}

/** Structural headings (a chapter, a part) are shown as headings, not as numbered text. */
export function isHeadingKind(kind: string): boolean {
  return kind === 'chapter' || kind === 'part'
}

/** Articles and the draft's numbered items are what people comment on. */
export function isCommentable(kind: string): boolean {
  return kind === 'article' || kind === 'item'
}

/**
 * Nests sections by their parent. `parentOf` returns the parent's identity (a saved
 * section's `parent_id`, or a preview's `parent` index); `idOf` a section's own. A section
 * whose parent is unknown or comes later (a broken list) becomes a root, so nothing is lost.
 */
export function buildSectionTree<S extends SectionLike, K>(
  sections: readonly S[],
  idOf: (s: S, index: number) => K,
  parentOf: (s: S, index: number) => K | undefined | null,
): SectionNode<S>[] {
  const roots: SectionNode<S>[] = []
  const byId = new Map<K, SectionNode<S>>()
  sections.forEach((section, i) => {
    const parentId = parentOf(section, i)
    const parent = parentId === undefined || parentId === null ? undefined : byId.get(parentId)
    const node: SectionNode<S> = { section, depth: parent ? parent.depth + 1 : 0, children: [] }
    if (parent) parent.children.push(node)
    else roots.push(node)
    byId.set(idOf(section, i), node)
  })
  return roots
}

/** Saved sections: nested by `parent_id`. */
export function treeOfSaved<S extends SectionLike & { id: string; parent_id?: string }>(sections: readonly S[]) {
  return buildSectionTree(
    sections,
    (s) => s.id,
    (s) => s.parent_id,
  )
}

/** A split preview: nested by `parent`, the index of the parent in the same list. */
export function treeOfPreview<S extends SectionLike & { parent?: number }>(sections: readonly S[]) {
  return buildSectionTree(
    sections,
    (_s, i) => i,
    (s) => s.parent,
  )
}

/** The section's title line: `第三条`, `第一章 总则`. */
export function sectionTitle(s: Pick<SectionLike, 'label' | 'heading'>): string {
  return [s.label, s.heading].filter(Boolean).join(' ')
}
