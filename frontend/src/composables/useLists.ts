import { api, request } from '@/api'
import { fetchAllPages } from '@/api/pages'
import type { Agency, PolicyArea, StaffMember } from '@/api/types'
import { useAsync } from './useAsync'

// Loaders for the lists the views show; each fetches every page.

export function usePolicyAreas() {
  return useAsync<PolicyArea[]>(() =>
    fetchAllPages((page, per_page) => request(api.GET('/policy-areas', { params: { query: { page, per_page } } }))),
  )
}

export function useAgencies() {
  return useAsync<Agency[]>(() =>
    fetchAllPages((page, per_page) => request(api.GET('/agencies', { params: { query: { page, per_page } } }))),
  )
}

export function loadStaff(agencyId: string): Promise<StaffMember[]> {
  return fetchAllPages((page, per_page) =>
    request(api.GET('/agencies/{agency_id}/staff', { params: { path: { agency_id: agencyId }, query: { page, per_page } } })),
  )
}
