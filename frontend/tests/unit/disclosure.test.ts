import { describe, expect, it } from 'vitest'
import {
  catalogueQuery,
  exportHref,
  filtersFromQuery,
  filtersToQuery,
  inputFromItem,
  isImportFileName,
  itemTitle,
  pageFromQuery,
  reportTable,
  type DisclosureItem,
  type ImportReport,
} from '@/lib/disclosure'

const COLUMNS = ['序号', '政策领域', '一级事项', '二级事项', '公开依据', '公开内容', '责任主体', '公开时限', '公开渠道', '公开属性', '公开对象', '公开层级']
const FIELDS = ['seq', 'policy_area', 'item', 'sub_item', 'basis', 'content', 'responsible_body', 'time_limit', 'channels', 'attribute', 'audience', 'level']

function report(rows: ImportReport['rows'], extra: Partial<ImportReport> = {}): ImportReport {
  return {
    applied: false,
    mode: 'all_or_nothing',
    encoding: 'utf-8',
    columns: COLUMNS.map((header, i) => ({ header, field: FIELDS[i]! })),
    unknown_columns: [],
    rows_total: rows.length,
    created: rows.filter((r) => r.outcome === 'created').length,
    changed: rows.filter((r) => r.outcome === 'changed').length,
    unchanged: rows.filter((r) => r.outcome === 'unchanged').length,
    refused: rows.filter((r) => r.outcome === 'refused').length,
    rows,
    ...extra,
  }
}

describe('the import report as a table', () => {
  const r = report([
    {
      row: 2,
      title: '敬老补贴 / 高龄津贴',
      outcome: 'refused',
      issues: [{ field: 'channels', column: '公开渠道', code: 'unknown_channel', message: '“飞鸽传书”不是平台列出的公开渠道。' }],
    },
    { row: 3, title: '敬老补贴 / 护理补贴', outcome: 'refused', issues: [{ field: 'content', column: '公开内容', code: 'required', message: '此项必填。' }] },
    {
      row: 4,
      title: '敬老驿站',
      outcome: 'refused',
      issues: [
        { field: 'policy_area', column: '政策领域', code: 'unknown_policy_area', message: '没有这个政策领域。' },
        { field: 'content', column: '公开内容', code: 'too_long', message: '太长。' },
      ],
    },
    { row: 5, title: '敬老食堂', outcome: 'created', issues: [] },
  ])

  it('has a column for each file column with an issue, in the file order', () => {
    const table = reportTable(r)
    expect(table.columns.map((c) => c.key)).toEqual(['政策领域', '公开内容', '公开渠道'])
    expect(table.columns.map((c) => c.field)).toEqual(['policy_area', 'content', 'channels'])
  })

  it('marks the refused cells with their messages, and leaves the others empty', () => {
    const table = reportTable(r)
    const [first, , third, fourth] = table.rows
    expect(first!.refused).toBe(true)
    expect(first!.cells.map((c) => c.refused)).toEqual([false, false, true])
    expect(first!.cells[2]!.issues[0]!.message).toContain('飞鸽传书')
    expect(third!.cells.map((c) => c.issues.length)).toEqual([1, 1, 0])
    expect(fourth!.refused).toBe(false)
    expect(fourth!.cells.every((c) => c.issues.length === 0 && !c.refused)).toBe(true)
  })

  it('offers "import all" only when nothing is refused, "valid rows" when something is accepted', () => {
    expect(reportTable(r)).toMatchObject({ allAccepted: false, anyAccepted: true })
    const ok = report([{ row: 2, title: 'a', outcome: 'created', issues: [] }, { row: 3, title: 'b', outcome: 'unchanged', issues: [] }])
    expect(reportTable(ok)).toMatchObject({ allAccepted: true, anyAccepted: true, columns: [] })
    const none = report([{ row: 2, title: 'a', outcome: 'refused', issues: [{ field: 'item', column: '一级事项', code: 'required', message: 'x' }] }])
    expect(reportTable(none)).toMatchObject({ allAccepted: false, anyAccepted: false })
    expect(reportTable(report([]))).toMatchObject({ allAccepted: false, anyAccepted: false })
  })

  it('gives issues on fields the file has no column for a column of their own, last', () => {
    const t = reportTable(
      report([
        {
          row: 2,
          title: 'a',
          outcome: 'refused',
          issues: [
            { field: 'level', code: 'required', message: '缺少公开层级。' },
            { field: 'item', column: '一级事项', code: 'required', message: 'x' },
          ],
        },
      ]),
    )
    expect(t.columns).toEqual([
      { key: '一级事项', header: '一级事项', field: 'item' },
      { key: '#level', header: undefined, field: 'level' },
    ])
    expect(t.rows[0]!.cells.map((c) => c.refused)).toEqual([true, true])
  })

  it('shows issues on accepted rows as notes, not refusals', () => {
    const t = reportTable(
      report([{ row: 2, title: 'a', outcome: 'created', issues: [{ field: 'time_limit', column: '公开时限', code: 'no_days', message: '读不出天数。' }] }]),
    )
    expect(t.rows[0]!.cells[0]).toMatchObject({ refused: false, issues: [{ code: 'no_days' }] })
    expect(t.allAccepted).toBe(true)
  })
})

describe('catalogue filters', () => {
  it('reads the address, dropping unknown values', () => {
    expect(filtersFromQuery({ q: '养老', attribute: 'proactive', level: 'nowhere', area: 'a1', page: '2' })).toEqual({
      q: '养老',
      area: 'a1',
      agency: '',
      attribute: 'proactive',
      level: '',
    })
    expect(filtersFromQuery({ q: ['低保', 'x'] }).q).toBe('低保')
    expect(pageFromQuery({ page: '3' })).toBe(3)
    expect(pageFromQuery({ page: '0' })).toBe(1)
    expect(pageFromQuery({ page: 'x' })).toBe(1)
    expect(pageFromQuery({})).toBe(1)
  })

  it('writes the address and the API query without empty values', () => {
    const f = { q: ' 养老 ', area: '', agency: 'ag', attribute: 'on_request', level: 'street' }
    expect(filtersToQuery(f)).toEqual({ q: '养老', agency: 'ag', attribute: 'on_request', level: 'street' })
    expect(catalogueQuery(f, 2, 20)).toEqual({ q: '养老', agency_id: 'ag', attribute: 'on_request', level: 'street', page: 2, per_page: 20 })
    expect(catalogueQuery({ q: '', area: 'p', agency: '', attribute: 'bogus', level: '' }, 1, 20)).toEqual({ policy_area_id: 'p', page: 1, per_page: 20 })
  })

  it('links the exports with the chosen scope', () => {
    expect(exportHref('csv')).toBe('/api/v1/disclosure-catalogue.csv')
    expect(exportHref('xlsx', { agency: 'a', area: 'p' })).toBe('/api/v1/disclosure-catalogue.xlsx?agency_id=a&policy_area_id=p')
  })
})

describe('items', () => {
  const item: DisclosureItem = {
    id: 'i',
    agency_id: 'a',
    agency_name: '示范区发展和改革委员会',
    policy_area_id: 'p',
    policy_area_name: '养老服务',
    item: '敬老补贴',
    sub_item: '',
    basis: '法',
    content: '名单',
    responsible_body: '委员会',
    time_limit: '20个工作日',
    time_limit_days: 20,
    time_limit_working_days: true,
    channels: ['政府网站'],
    attribute: 'proactive',
    audience: 'public',
    level: 'district',
    open_reports: 0,
    answered_reports: 0,
    version: 3,
    created_at: '2026-11-30T00:00:00Z',
    updated_at: '2026-11-30T00:00:00Z',
  }

  it('names an item by its item and sub-item', () => {
    expect(itemTitle(item)).toBe('敬老补贴')
    expect(itemTitle({ ...item, sub_item: '高龄津贴' })).toBe('敬老补贴 / 高龄津贴')
  })

  it('copies an item into the editor without sharing its channel list', () => {
    const input = inputFromItem(item)
    expect(input).toMatchObject({ policy_area_id: 'p', item: '敬老补贴', channels: ['政府网站'], level: 'district' })
    input.channels.push('公示栏')
    expect(item.channels).toEqual(['政府网站'])
  })

  it('takes CSV and XLSX files only', () => {
    expect(isImportFileName('目录.csv')).toBe(true)
    expect(isImportFileName('目录.XLSX')).toBe(true)
    expect(isImportFileName('目录.xls')).toBe(false)
    expect(isImportFileName('目录.txt')).toBe(false)
  })
})
