import type { SectionChange, TextOp } from '@/api/types'

// Text differences between two draft versions, ready to show: inserted and deleted runs are
// marked up with <ins>/<del> and a spoken prefix, so the change never depends on colour.

export interface DiffSegment {
  kind: 'equal' | 'insert' | 'delete'
  text: string
}

/** Joins neighbouring runs of the same kind and drops empty ones. */
export function diffSegments(ops: readonly TextOp[]): DiffSegment[] {
  const out: DiffSegment[] = []
  for (const op of ops) {
    if (!op.text) continue
    const last = out[out.length - 1]
    if (last && last.kind === op.op) last.text += op.text
    else out.push({ kind: op.op, text: op.text })
  }
  return out
}

/** The text as it was (`from`) or as it is (`to`). */
export function sideText(ops: readonly TextOp[], side: 'from' | 'to'): string {
  return ops
    .filter((o) => o.op === 'equal' || (side === 'from' ? o.op === 'delete' : o.op === 'insert'))
    .map((o) => o.text)
    .join('')
}

/** The label to show for a change: the last part of its key, with the old one when renumbered. */
export function changeLabel(c: Pick<SectionChange, 'key' | 'from_key' | 'to_key'>): { label: string; renumberedFrom?: string } {
  const last = (k: string) => k.split('/').pop() ?? k
  const label = last(c.to_key ?? c.key)
  const from = c.from_key ? last(c.from_key) : undefined
  return from && c.to_key && from !== label ? { label, renumberedFrom: from } : { label }
}

/** Only what changed, unless asked for everything. */
export function visibleChanges<C extends Pick<SectionChange, 'change'>>(changes: readonly C[], showUnchanged: boolean): C[] {
  return showUnchanged ? [...changes] : changes.filter((c) => c.change !== 'unchanged')
}
