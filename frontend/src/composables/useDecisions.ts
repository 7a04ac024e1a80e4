import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { api, request } from '@/api'
import type { Decision, PolicyArea } from '@/api/types'
import type { operations } from '@/api/schema'
import { usePolicyAreas } from './useLists'

type ListQuery = NonNullable<operations['list_decisions']['parameters']['query']>

/** One page of decisions. */
export function loadDecisions(query: ListQuery) {
  return request(api.GET('/decisions', { params: { query } }))
}

export function loadDecision(id: string): Promise<Decision> {
  return request(api.GET('/decisions/{decision_id}', { params: { path: { decision_id: id } } }))
}

/** Policy areas by id, and their names in the UI language. */
export function usePolicyAreaNames() {
  const { locale } = useI18n()
  const areas = usePolicyAreas()
  const byId = computed(() => new Map((areas.data.value ?? []).map((a) => [a.id, a])))
  const nameOf = (id: string): { text: string; lang: string } | null => {
    const a: PolicyArea | undefined = byId.value.get(id)
    if (!a) return null
    return locale.value === 'en' ? { text: a.name_en, lang: 'en' } : { text: a.name, lang: 'zh-CN' }
  }
  return { areas, nameOf }
}

/** The version the public reads: the one consulted on, the final one, else the latest public one. */
export function shownVersionNumber(d: Decision): number | null {
  if (d.outcome) return d.outcome.final_version
  if (d.consultation) return d.consultation.version
  const published = d.versions.filter((v) => v.published)
  return published.length > 0 ? published[published.length - 1]!.number : null
}

/** A UUID as the API writes them; anything else cannot name a decision. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
