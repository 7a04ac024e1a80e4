import type { components } from './schema'

// Short names for the API's schemas, so views need not spell out `components['schemas'][…]`.
type Schemas = components['schemas']
export type Me = Schemas['Me']
export type Session = Schemas['Session']
export type Agency = Schemas['Agency']
export type AgencyKind = Schemas['AgencyKindDto']
export type PolicyArea = Schemas['PolicyArea']
export type StaffMember = Schemas['StaffMember']
export type StaffRole = Schemas['StaffRole']
export type PageMeta = Schemas['PageMeta']
export type CreateAgencyRequest = Schemas['CreateAgencyRequest']
export type CreatePolicyAreaRequest = Schemas['CreatePolicyAreaRequest']
export type CreateStaffRequest = Schemas['CreateStaffRequest']
export type RegisterRequest = Schemas['RegisterRequest']

export const AGENCY_KINDS: readonly AgencyKind[] = ['district', 'department', 'sub_district', 'township']
export const STAFF_ROLES: readonly StaffRole[] = ['agency_staff', 'agency_admin']
