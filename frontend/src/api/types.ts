import {
  agencyKindValues,
  categoryValues,
  channelValues,
  commentStatusValues,
  dispositionValues,
  hiddenReasonValues,
  satisfactionValues,
  staffRoleValues,
  timelinessValues,
  type components,
} from './schema'

// Short names for the API's schemas, so views need not spell out `components['schemas'][…]`.
type Schemas = components['schemas']
export type Me = Schemas['Me']
export type Session = Schemas['Session']
export type Agency = Schemas['Agency']
export type AgencyKind = Schemas['AgencyKind']
export type PolicyArea = Schemas['PolicyArea']
export type StaffMember = Schemas['StaffMember']
export type StaffRole = Schemas['StaffRole']
export type PageMeta = Schemas['PageMeta']
export type CreateAgencyRequest = Schemas['CreateAgencyRequest']
export type CreatePolicyAreaRequest = Schemas['CreatePolicyAreaRequest']
export type CreateStaffRequest = Schemas['CreateStaffRequest']
export type RegisterRequest = Schemas['RegisterRequest']

// Every list of an enum's values comes from the spec (generated into schema.ts), never by hand.
export const AGENCY_KINDS: readonly AgencyKind[] = agencyKindValues
export const STAFF_ROLES: readonly StaffRole[] = staffRoleValues

export type Decision = Schemas['Decision']
export type DecisionSummary = Schemas['DecisionSummary']
export type DecisionStatus = Schemas['DecisionStatus']
export type DecisionFields = Schemas['DecisionFieldsDto']
export type Consultation = Schemas['Consultation']
export type Version = Schemas['Version']
export type VersionSummary = Schemas['VersionSummary']
export type VersionDiff = Schemas['VersionDiff']
export type Section = Schemas['Section']
export type SplitSection = Schemas['SplitSection']
export type SectionChange = Schemas['SectionChange']
export type TextOp = Schemas['TextOpDto']
export type Category = Schemas['Category']
export type Channel = Schemas['Channel']
export type CommentStatus = Schemas['CommentStatus']
export type HiddenReason = Schemas['HiddenReason']
export type DecisionStep = Schemas['DecisionStep']
export type Role = Schemas['Role']
export type SectionKind = Schemas['SectionKind']
export type CommentStats = Schemas['CommentStats']
export type CountByKey = Schemas['CountByKey']
export type PublicComment = Schemas['PublicComment']
export type PublicCommentList = Schemas['PublicCommentList']
export type OwnComment = Schemas['OwnComment']
export type StaffComment = Schemas['StaffComment']
export type SubmittedComment = Schemas['SubmittedComment']
export type DuplicateGroup = Schemas['DuplicateGroup']
export type CatalogueEntry = Schemas['CatalogueEntry']
export type AttachmentInfo = Schemas['AttachmentInfo']

export const CATEGORIES: readonly Category[] = categoryValues
export const CHANNELS: readonly Channel[] = channelValues
/** Staff enter comments received by every channel but the online form. */
export const OFFLINE_CHANNELS: readonly Channel[] = channelValues.filter((c) => c !== 'online')
export const COMMENT_STATUSES: readonly CommentStatus[] = commentStatusValues
export const HIDDEN_REASONS: readonly HiddenReason[] = hiddenReasonValues
/** The longest comment the server accepts, in characters. */
export const MAX_COMMENT_CHARS = 5000
export type DecisionList = Schemas['DecisionList']

// Following decisions (关注)
export type FollowStatus = Schemas['FollowStatus']
export type FollowedDecision = Schemas['FollowedDecision']
export type FollowedDecisionList = Schemas['FollowedDecisionList']
export type UnfollowedDecision = Schemas['UnfollowedDecision']

// Adoption feedback (采纳情况反馈)
export type Disposition = Schemas['Disposition']
export type DispositionRequest = Schemas['DispositionRequest']
export type DispositionTally = Schemas['DispositionTally']
export type Viewpoint = Schemas['Viewpoint']
export type FeedbackWorkbench = Schemas['FeedbackWorkbench']
export type FeedbackReport = Schemas['FeedbackReport']
export type FeedbackReportContent = Schemas['FeedbackReportContent']
export type FeedbackReportHistory = Schemas['FeedbackReportHistory']
export type FeedbackVerification = Schemas['FeedbackVerification']
export type VersionCheck = Schemas['VersionCheck']
export type ReportViewpoint = Schemas['ReportViewpoint']
export type ReportTotals = Schemas['ReportTotals']
export type ReportCount = Schemas['ReportCount']
export type FeedbackDeadline = Schemas['FeedbackDeadline']
export type Timeliness = Schemas['Timeliness']
export type Satisfaction = Schemas['Satisfaction']
export type CommentAnswer = Schemas['CommentAnswer']
export type RatingRequest = Schemas['RatingRequest']

export const DISPOSITIONS: readonly Disposition[] = dispositionValues
export const SATISFACTIONS: readonly Satisfaction[] = satisfactionValues
export const TIMELINESS: readonly Timeliness[] = timelinessValues
