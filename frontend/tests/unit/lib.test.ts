import { describe, expect, it, vi } from 'vitest'
import { nestAgencies } from '@/lib/agencyTree'
import { canManageAgencies, canManagePolicyAreas, canManageStaffOf, canUseConsole } from '@/lib/roles'
import { fetchAllPages, MAX_PER_PAGE } from '@/api/pages'
import type { Agency } from '@/api/types'

const agency = (id: string, depth: number): Agency => ({
  id,
  name: id,
  kind: depth === 0 ? 'district' : 'department',
  depth,
  sort_order: 0,
  created_at: '2026-11-24T00:00:00Z',
})

describe('nestAgencies', () => {
  it('nests the flat tree-ordered list by depth', () => {
    const tree = nestAgencies([agency('gov', 0), agency('a', 1), agency('a1', 2), agency('b', 1), agency('other', 0)])
    expect(tree.map((n) => n.agency.id)).toEqual(['gov', 'other'])
    expect(tree[0]!.children.map((n) => n.agency.id)).toEqual(['a', 'b'])
    expect(tree[0]!.children[0]!.children.map((n) => n.agency.id)).toEqual(['a1'])
  })

  it('attaches an item that skips a level to the nearest shallower one', () => {
    const tree = nestAgencies([agency('gov', 0), agency('deep', 3)])
    expect(tree[0]!.children.map((n) => n.agency.id)).toEqual(['deep'])
  })

  it('handles an empty list', () => {
    expect(nestAgencies([])).toEqual([])
  })
})

describe('roles', () => {
  const staff = { role: 'agency_staff' as const, agency_id: 'A' }
  const admin = { role: 'agency_admin' as const, agency_id: 'A' }
  const platform = { role: 'platform_admin' as const }
  const resident = { role: 'resident' as const }

  it('opens the console to staff and admins only', () => {
    expect([staff, admin, platform, resident, null].map(canUseConsole)).toEqual([true, true, true, false, false])
  })

  it('lets only the platform admin manage agencies and policy areas', () => {
    expect([staff, admin, platform, resident].map(canManageAgencies)).toEqual([false, false, true, false])
    expect([staff, admin, platform, resident].map(canManagePolicyAreas)).toEqual([false, false, true, false])
  })

  it('lets an agency admin manage their own agency’s staff only', () => {
    expect(canManageStaffOf(admin, 'A')).toBe(true)
    expect(canManageStaffOf(admin, 'B')).toBe(false)
    expect(canManageStaffOf(staff, 'A')).toBe(false)
    expect(canManageStaffOf(platform, 'B')).toBe(true)
    expect(canManageStaffOf(null, 'A')).toBe(false)
  })
})

describe('fetchAllPages', () => {
  it('fetches every page at the largest page size', async () => {
    const getPage = vi.fn(async (page: number, perPage: number) => ({
      items: [page * 10 + 1, page * 10 + 2],
      meta: { page, per_page: perPage, total: 6, total_pages: 3 },
    }))
    expect(await fetchAllPages(getPage)).toEqual([11, 12, 21, 22, 31, 32])
    expect(getPage.mock.calls).toEqual([
      [1, MAX_PER_PAGE],
      [2, MAX_PER_PAGE],
      [3, MAX_PER_PAGE],
    ])
  })

  it('stops at an empty page and at the page limit', async () => {
    const empty = vi.fn(async () => ({ items: [], meta: { page: 1, per_page: 200, total: 0, total_pages: 0 } }))
    expect(await fetchAllPages(empty)).toEqual([])
    expect(empty).toHaveBeenCalledTimes(1)
    const endless = vi.fn(async (page: number) => ({ items: [page], meta: { page, per_page: 1, total: 1e9, total_pages: 1e9 } }))
    expect(await fetchAllPages(endless, 4)).toEqual([1, 2, 3, 4])
  })
})
