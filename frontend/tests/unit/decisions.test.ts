import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import { acceptsComments, daysLeft, windowPhase, windowText } from '@/lib/consultation'
import { buildSectionTree, isCommentable, isHeadingKind, sectionTitle, treeOfPreview, treeOfSaved } from '@/lib/sections'
import { changeLabel, diffSegments, sideText, visibleChanges } from '@/lib/diff'
import { receiptFileName, receiptFileText } from '@/lib/receipt'
import { charCount, counterState, refusalKind } from '@/lib/comment'
import DiffView from '@/components/decisions/DiffView.vue'
import TextAreaField from '@/components/forms/TextAreaField.vue'
import type { SectionChange, VersionDiff } from '@/api/types'
import { testI18n, validationProblem } from './helpers'

const NOW = new Date('2026-11-24T04:00:00Z') // 12:00 in Shanghai
const at = (days: number, hours = 0) => new Date(NOW.getTime() + (days * 24 + hours) * 3_600_000).toISOString()

describe('consultation window', () => {
  it('knows whether it is upcoming, open or closed', () => {
    expect(windowPhase(at(1), at(31), NOW)).toBe('upcoming')
    expect(windowPhase(at(-1), at(29), NOW)).toBe('open')
    expect(windowPhase(at(-31), at(-1), NOW)).toBe('closed')
    expect(windowPhase(at(-31), NOW.toISOString(), NOW)).toBe('closed')
    expect(acceptsComments({ opens_at: at(-1), closes_at: at(1) }, NOW)).toBe(true)
    expect(acceptsComments(undefined, NOW)).toBe(false)
  })

  it('counts the days left, rounding up, and nothing once closed', () => {
    expect(daysLeft(at(10), NOW)).toBe(10)
    expect(daysLeft(at(9, 2), NOW)).toBe(10)
    expect(daysLeft(at(0, 3), NOW)).toBe(1)
    expect(daysLeft(at(-1), NOW)).toBe(0)
    expect(daysLeft('not a date', NOW)).toBe(0)
  })

  it('says it in words in both languages', () => {
    const zh = testI18n('zh-CN').global
    const en = testI18n('en').global
    const say = (w: ReturnType<typeof windowText>) => [zh.t(w.key, w.params, w.params.days ?? 1), en.t(w.key, w.params, w.params.days ?? 1)]
    expect(say(windowText(at(-1), at(5), NOW))).toEqual(['还剩 5 天', '5 days left'])
    expect(say(windowText(at(-1), at(0, 5), NOW))).toEqual(['今天截止', 'Closes today'])
    expect(say(windowText(at(2), at(40), NOW))).toEqual(['2 天后开始', 'Opens in 2 days'])
    expect(say(windowText(at(-40), at(-2), NOW))).toEqual(['已截止', 'Closed'])
    expect(say(windowText(at(-1), at(1, 2), NOW))).toEqual(['还剩 2 天', '2 days left'])
    expect(say(windowText(at(0, -1), at(0, 23), NOW))).toEqual(['今天截止', 'Closes today'])
    expect(en.t('decision.commentCount', { count: 1 })).toBe('1 comment')
    expect(en.t('decision.commentCount', { count: 0 })).toBe('0 comments')
    expect(zh.t('decision.commentCount', { count: 1 })).toBe('1 条意见')
  })
})

const S = (kind: string, label: string, id: string, parent_id?: string) => ({ kind, label, heading: '', text: `${label}的内容`, id, parent_id })

describe('section tree', () => {
  it('nests saved sections by parent id, with depths', () => {
    const tree = treeOfSaved([
      S('chapter', '第一章', 'c1'),
      S('article', '第一条', 'a1', 'c1'),
      S('article', '第二条', 'a2', 'c1'),
      S('sub_item', '（一）', 'i1', 'a2'),
      S('sub_item', '（二）', 'i2', 'a2'),
      S('chapter', '第二章', 'c2'),
      S('article', '第三条', 'a3', 'c2'),
    ])
    expect(tree.map((n) => n.section.label)).toEqual(['第一章', '第二章'])
    expect(tree[0]!.children.map((n) => n.section.label)).toEqual(['第一条', '第二条'])
    const second = tree[0]!.children[1]!
    expect(second.children.map((n) => [n.section.label, n.depth])).toEqual([
      ['（一）', 2],
      ['（二）', 2],
    ])
    expect(tree[1]!.children[0]!.depth).toBe(1)
  })

  it('nests a split preview by parent index', () => {
    const tree = treeOfPreview([
      { kind: 'article', label: '第一条', heading: '', text: 'a' },
      { kind: 'item', label: '（一）', heading: '', text: 'b', parent: 0 },
      { kind: 'article', label: '第二条', heading: '', text: 'c' },
    ])
    expect(tree.map((n) => [n.section.label, n.children.length])).toEqual([
      ['第一条', 1],
      ['第二条', 0],
    ])
  })

  it('keeps a section whose parent is unknown or comes later as a root', () => {
    const tree = buildSectionTree(
      [S('article', '第一条', 'a1', 'later'), S('chapter', '第一章', 'later')],
      (s) => s.id,
      (s) => s.parent_id,
    )
    expect(tree.map((n) => n.section.label)).toEqual(['第一条', '第一章'])
  })

  it('tells headings from commentable sections', () => {
    expect(isHeadingKind('chapter') && isHeadingKind('part')).toBe(true)
    expect(isHeadingKind('article')).toBe(false)
    expect(isCommentable('article') && isCommentable('item')).toBe(true)
    expect(isCommentable('sub_item') || isCommentable('chapter')).toBe(false)
    expect(sectionTitle({ label: '第一章', heading: '总则' })).toBe('第一章 总则')
    expect(sectionTitle({ label: '第三条', heading: '' })).toBe('第三条')
  })
})

describe('diff', () => {
  const ops = [
    { op: 'equal' as const, text: '为了规范' },
    { op: 'insert' as const, text: '和加' },
    { op: 'insert' as const, text: '强' },
    { op: 'delete' as const, text: '' },
    { op: 'equal' as const, text: '停车管理' },
    { op: 'delete' as const, text: '工作' },
  ]

  it('merges runs and drops empty ones', () => {
    expect(diffSegments(ops)).toEqual([
      { kind: 'equal', text: '为了规范' },
      { kind: 'insert', text: '和加强' },
      { kind: 'equal', text: '停车管理' },
      { kind: 'delete', text: '工作' },
    ])
  })

  it('rebuilds either side', () => {
    expect(sideText(ops, 'from')).toBe('为了规范停车管理工作')
    expect(sideText(ops, 'to')).toBe('为了规范和加强停车管理')
  })

  it('labels renumbered sections and hides unchanged ones unless asked', () => {
    expect(changeLabel({ key: '第二章/第四条', from_key: '第二章/第三条', to_key: '第二章/第四条' })).toEqual({
      label: '第四条',
      renumberedFrom: '第三条',
    })
    expect(changeLabel({ key: '第一章/第一条', from_key: '第一章/第一条', to_key: '第一章/第一条' })).toEqual({ label: '第一条' })
    const changes = [{ change: 'unchanged' }, { change: 'changed' }] as Pick<SectionChange, 'change'>[]
    expect(visibleChanges(changes, false)).toHaveLength(1)
    expect(visibleChanges(changes, true)).toHaveLength(2)
  })

  it('renders insertions and deletions as <ins>/<del> with words, not colour alone', async () => {
    const diff: VersionDiff = {
      from: 1,
      to: 2,
      added: 0,
      removed: 0,
      changed: 1,
      unchanged: 1,
      changes: [
        { key: '第一条', from_key: '第一条', to_key: '第一条', change: 'changed', text_diff: ops },
        { key: '第二条', from_key: '第二条', to_key: '第二条', change: 'unchanged', text_diff: [{ op: 'equal', text: '不变' }] },
      ],
    }
    const i18n = testI18n('zh-CN')
    const w = mount(DiffView, { props: { diff }, global: { plugins: [i18n] } })
    expect(w.findAll('li')).toHaveLength(1)
    expect(w.get('ins').text()).toBe('［新增：和加强］')
    expect(w.get('del').text()).toBe('［删除：工作］')
    expect(w.text()).toContain('修改')
    await w.get('input[type=checkbox]').setValue(true)
    expect(w.findAll('li')).toHaveLength(2)
    i18n.global.locale.value = 'en'
    await nextTick()
    expect(w.get('ins').text()).toBe('[added: 和加强]')
    expect(w.get('ins .diff__mark').attributes('lang')).toBe('en')
  })
})

describe('receipt file', () => {
  it('holds the tracking number, the secret, where to look it up and the warning', () => {
    const text = receiptFileText(
      {
        heading: '问计 意见回执',
        decision: '决策事项',
        trackingNumber: '回执编号',
        secret: '查询密码',
        submittedAt: '提交时间',
        lookUp: '查询地址',
        warning: '查询密码只显示这一次。',
      },
      {
        trackingNumber: 'WJ-2026-AKF9-2F7V',
        secret: 'R2HD6XK7V15TQH7DMM32KDW37R',
        decisionTitle: '示范区停车管理办法',
        submittedAt: '2026年11月24日 21:19',
        lookupUrl: 'https://wenji.example/receipts?tn=WJ-2026-AKF9-2F7V',
      },
    )
    expect(text.split('\r\n')).toEqual([
      '问计 意见回执',
      '',
      '决策事项: 示范区停车管理办法',
      '回执编号: WJ-2026-AKF9-2F7V',
      '查询密码: R2HD6XK7V15TQH7DMM32KDW37R',
      '提交时间: 2026年11月24日 21:19',
      '',
      '查询地址: https://wenji.example/receipts?tn=WJ-2026-AKF9-2F7V',
      '',
      '查询密码只显示这一次。',
      '',
    ])
    expect(receiptFileName('WJ-2026-AKF9-2F7V')).toBe('wenji-receipt-WJ-2026-AKF9-2F7V.txt')
    expect(receiptFileName('../x/WJ')).toBe('wenji-receipt-xWJ.txt')
  })
})

describe('comment form', () => {
  it('counts characters as the server does', () => {
    expect(charCount('  意见 ')).toBe(2)
    expect(charCount('𠀀好')).toBe(2) // a character outside the BMP counts once
    expect(counterState('好'.repeat(12))).toMatchObject({ count: 12, over: 0, key: 'commentForm.counter' })
    expect(counterState('好'.repeat(5003))).toMatchObject({ over: 3, key: 'commentForm.counterOver', params: { count: 3 } })
  })

  it('explains refusals that are not about a field', () => {
    expect(refusalKind(401, 'unauthenticated')).toBe('signIn')
    expect(refusalKind(409, 'consultation_not_open_yet')).toBe('notOpenYet')
    expect(refusalKind(409, 'consultation_closed')).toBe('closed')
    expect(refusalKind(422, 'validation_failed')).toBeNull()
  })

  it('shows the body error next to the field, in the UI language, and the counter', async () => {
    const i18n = testI18n('zh-CN')
    const problem = validationProblem([{ field: 'body', code: 'too_long', message: '意见内容不能超过 5000 字（现为 5001 字）。' }])
    const w = mount(TextAreaField, {
      props: { id: 'cf-body', field: 'body', label: '意见内容', modelValue: 'x', problem, scope: 'comment', note: '超出 1 字，请删减', noteError: true },
      global: { plugins: [i18n] },
    })
    const area = w.get('textarea')
    expect(area.attributes('aria-invalid')).toBe('true')
    expect(area.attributes('aria-describedby')).toBe('cf-body-error cf-body-note')
    expect(w.get('#cf-body-error').text()).toBe('错误：意见内容不能超过 5000 字，请删减。')
    expect(w.get('#cf-body-note').text()).toBe('超出 1 字，请删减')
    i18n.global.locale.value = 'en'
    await nextTick()
    expect(w.get('#cf-body-error').text()).toBe('Error: A comment can have at most 5,000 characters; please shorten it.')
  })

  it('marks nothing invalid when there is no error', () => {
    const w = mount(TextAreaField, {
      props: { id: 'cf-body', field: 'body', label: '意见内容', modelValue: '', required: true },
      global: { plugins: [testI18n()] },
    })
    expect(w.get('textarea').attributes('aria-invalid')).toBeUndefined()
    expect(w.find('#cf-body-error').exists()).toBe(false)
  })
})

describe('consultation window inputs (Beijing time)', () => {
  it('reads a datetime-local value as Beijing time, whatever the browser zone', async () => {
    const { beijingInputToIso, isoToBeijingInput } = await import('@/lib/consultation')
    expect(beijingInputToIso('2026-12-24T20:30')).toBe('2026-12-24T12:30:00.000Z')
    expect(beijingInputToIso('2026-12-24T20:30:15')).toBe('2026-12-24T12:30:15.000Z')
    expect(beijingInputToIso('')).toBeNull()
    expect(beijingInputToIso('24/12/2026')).toBeNull()
    expect(isoToBeijingInput('2026-12-24T12:30:00Z')).toBe('2026-12-24T20:30')
  })

  it('applies the 30-day rule as the server does (with an hour of slack)', async () => {
    const { isShortWindow, windowLengthDays } = await import('@/lib/consultation')
    const opens = '2026-12-01T00:00:00Z'
    expect(isShortWindow(opens, '2026-12-20T00:00:00Z')).toBe(true)
    expect(isShortWindow(opens, '2026-12-31T00:00:00Z')).toBe(false)
    expect(isShortWindow(opens, '2026-12-30T23:30:00Z')).toBe(false)
    expect(isShortWindow(opens, '2026-12-30T22:00:00Z')).toBe(true)
    expect(windowLengthDays(opens, '2026-12-11T00:00:00Z')).toBe(10)
    expect(windowLengthDays(opens, '2026-12-10T13:00:00Z')).toBe(10)
  })
})
