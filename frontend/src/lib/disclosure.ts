// The disclosure standard catalogue (政务公开事项标准目录): its types, the catalogue's filters as
// they live in the address, export links, and the import report turned into a table.
import {
  attributeValues,
  audienceValues,
  levelValues,
  reportKindValues,
  reportStatusValues,
  type components,
  type operations,
} from '@/api/schema'

type Schemas = components['schemas']
export type DisclosureItem = Schemas['DisclosureItem']
export type DisclosureItemInput = Schemas['DisclosureItemInput']
export type DisclosureItemPage = Schemas['DisclosureItemPage']
export type DisclosureReport = Schemas['DisclosureReport']
export type DisclosureReportPage = Schemas['DisclosureReportPage']
export type PublicDisclosureReportList = Schemas['PublicDisclosureReportList']
export type ItemHistory = Schemas['ItemHistory']
export type ItemVersion = Schemas['ItemVersion']
export type ImportReport = Schemas['ImportReport']
export type ImportRow = Schemas['ImportRow']
export type ImportRowIssue = Schemas['ImportRowIssue']
export type ImportMode = Schemas['ImportMode']
export type RowOutcome = Schemas['RowOutcome']
export type Coverage = Schemas['Coverage']
export type Attribute = Schemas['Attribute']
export type Audience = Schemas['Audience']
export type Level = Schemas['Level']
export type ReportKind = Schemas['ReportKind']
export type ReportStatus = Schemas['ReportStatus']
export type CatalogueQuery = NonNullable<operations['list_disclosure_items']['parameters']['query']>

export const ATTRIBUTES: readonly Attribute[] = attributeValues
export const AUDIENCES: readonly Audience[] = audienceValues
export const LEVELS: readonly Level[] = levelValues
export const REPORT_KINDS: readonly ReportKind[] = reportKindValues
export const REPORT_STATUSES: readonly ReportStatus[] = reportStatusValues

/** The fields an item's history or an import report may name (keys under `disclosure.fields`). */
export const ITEM_FIELDS = [
  'seq',
  'policy_area',
  'policy_area_id',
  'item',
  'sub_item',
  'basis',
  'content',
  'responsible_body',
  'time_limit',
  'channels',
  'attribute',
  'audience',
  'level',
] as const

export function isItemField(field: string): field is (typeof ITEM_FIELDS)[number] {
  return (ITEM_FIELDS as readonly string[]).includes(field)
}

/** 一级事项 / 二级事项, or the 一级事项 alone. */
export function itemTitle(i: Pick<DisclosureItem, 'item' | 'sub_item'>): string {
  return i.sub_item.trim() ? `${i.item} / ${i.sub_item}` : i.item
}

/** The catalogue's filters as the public page keeps them in its address. */
export interface CatalogueFilters {
  q: string
  area: string
  agency: string
  attribute: string
  level: string
}

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '')

/** The filters from an address's query; unknown attributes and levels are dropped. */
export function filtersFromQuery(query: Record<string, unknown>): CatalogueFilters {
  const attribute = str(query.attribute)
  const level = str(query.level)
  return {
    q: str(query.q),
    area: str(query.area),
    agency: str(query.agency),
    attribute: (ATTRIBUTES as readonly string[]).includes(attribute) ? attribute : '',
    level: (LEVELS as readonly string[]).includes(level) ? level : '',
  }
}

/** The page number from an address's query (1 when absent or unreadable). */
export function pageFromQuery(query: Record<string, unknown>): number {
  const n = Number(str(query.page))
  return Number.isInteger(n) && n >= 1 ? n : 1
}

/** The address query for some filters: empty values left out, text trimmed. */
export function filtersToQuery(f: CatalogueFilters): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(f)) if (v.trim()) out[k] = v.trim()
  return out
}

/** The API's list query for some filters and a page. */
export function catalogueQuery(f: CatalogueFilters, page: number, perPage: number): CatalogueQuery {
  const q: CatalogueQuery = { page, per_page: perPage }
  if (f.q.trim()) q.q = f.q.trim()
  if (f.area) q.policy_area_id = f.area
  if (f.agency) q.agency_id = f.agency
  if ((ATTRIBUTES as readonly string[]).includes(f.attribute)) q.attribute = f.attribute as Attribute
  if ((LEVELS as readonly string[]).includes(f.level)) q.level = f.level as Level
  return q
}

/** Where the catalogue is exported (public: a plain link does). */
export function exportHref(format: 'csv' | 'xlsx', scope: { agency?: string; area?: string } = {}): string {
  const params = new URLSearchParams()
  if (scope.agency) params.set('agency_id', scope.agency)
  if (scope.area) params.set('policy_area_id', scope.area)
  const qs = params.toString()
  return `/api/v1/disclosure-catalogue.${format}${qs ? `?${qs}` : ''}`
}

/** An empty item for the editor. */
export function emptyInput(): Required<Omit<DisclosureItemInput, 'agency_id' | 'expected_version'>> {
  return {
    policy_area_id: '',
    item: '',
    sub_item: '',
    basis: '',
    content: '',
    responsible_body: '',
    time_limit: '',
    channels: [],
    attribute: 'proactive',
    audience: 'public',
    level: 'district',
  }
}

/** An item as the editor starts from it. */
export function inputFromItem(i: DisclosureItem): ReturnType<typeof emptyInput> {
  return {
    policy_area_id: i.policy_area_id,
    item: i.item,
    sub_item: i.sub_item,
    basis: i.basis,
    content: i.content,
    responsible_body: i.responsible_body,
    time_limit: i.time_limit,
    channels: [...i.channels],
    attribute: i.attribute,
    audience: i.audience,
    level: i.level,
  }
}

// ---- The import report as a table ----

/** A column of the report table that has something to say about at least one row. */
export interface IssueColumn {
  /** Stable key: the file's header, or `#field` when the file has no column for the field. */
  key: string
  /** The file's column header, when there is one. */
  header?: string
  /** The API field the column is read into. */
  field: string
}

export interface IssueCell {
  key: string
  issues: ImportRowIssue[]
  /** True when the row was refused for this cell. */
  refused: boolean
}

export interface ReportTableRow {
  row: number
  title: string
  outcome: RowOutcome
  refused: boolean
  /** One per column of the table, in the same order; cells without issues have none. */
  cells: IssueCell[]
}

export interface ReportTable {
  columns: IssueColumn[]
  rows: ReportTableRow[]
  /** Whether "import all" may be offered: every row accepted. */
  allAccepted: boolean
  /** Whether any row would be written by "valid rows only". */
  anyAccepted: boolean
}

function columnKey(issue: ImportRowIssue): string {
  return issue.column ? issue.column : `#${issue.field}`
}

/**
 * Turns an import report into a table: one row per file row, and one column for every file
 * column (in the file's order) that has an issue on some row; issues on fields the file has
 * no column for get a column of their own, after those. Rows keep the file's order; each
 * cell lists the issues of its row and column.
 */
export function reportTable(report: ImportReport): ReportTable {
  const order = new Map<string, number>()
  report.columns.forEach((c, i) => order.set(c.header, i))
  const found = new Map<string, IssueColumn>()
  for (const r of report.rows)
    for (const issue of r.issues) {
      const key = columnKey(issue)
      if (!found.has(key)) found.set(key, { key, header: issue.column || undefined, field: issue.field })
    }
  const rank = (c: IssueColumn) => (c.header !== undefined && order.has(c.header) ? order.get(c.header)! : report.columns.length)
  const columns = [...found.values()].sort((a, b) => rank(a) - rank(b))
  const rows = report.rows.map((r) => {
    const refused = r.outcome === 'refused'
    return {
      row: r.row,
      title: r.title,
      outcome: r.outcome,
      refused,
      cells: columns.map((c) => {
        const issues = r.issues.filter((i) => columnKey(i) === c.key)
        return { key: c.key, issues, refused: refused && issues.length > 0 }
      }),
    }
  })
  return {
    columns,
    rows,
    allAccepted: report.rows.length > 0 && rows.every((r) => !r.refused),
    anyAccepted: rows.some((r) => !r.refused),
  }
}

/** The file's name must say what it is: the server reads XLSX and CSV only. */
export function isImportFileName(name: string): boolean {
  return /\.(csv|xlsx)$/i.test(name.trim())
}

export const IMPORT_ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
