import { roleValues } from '@/api/schema'
import type { Me, Role } from '@/api/types'

// What the UI shows to whom. These rules only hide what a role cannot do: the server
// decides every action again (src/authz.rs in the service).

export const ROLES: readonly Role[] = roleValues
export type { Role }

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

type Account = Pick<Me, 'role' | 'agency_id'> | null | undefined

export function isPlatformAdmin(a: Account): boolean {
  return a?.role === 'platform_admin'
}

/** Staff, agency admins and the platform admin use the console. */
export function canUseConsole(a: Account): boolean {
  return a?.role === 'agency_staff' || a?.role === 'agency_admin' || a?.role === 'platform_admin'
}

export function canManageAgencies(a: Account): boolean {
  return isPlatformAdmin(a)
}

export function canManagePolicyAreas(a: Account): boolean {
  return isPlatformAdmin(a)
}

export function canManageStaffOf(a: Account, agencyId: string): boolean {
  if (isPlatformAdmin(a)) return true
  return a?.role === 'agency_admin' && a.agency_id === agencyId
}
