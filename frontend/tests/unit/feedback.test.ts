import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import type { CommentAnswer, DispositionTally } from '@/api/types'
import TallyChart from '@/components/feedback/TallyChart.vue'
import DispositionForm from '@/components/feedback/DispositionForm.vue'
import CommentAnswerBox from '@/components/comments/CommentAnswerBox.vue'
import {
  canonicalUrl,
  daysUntilDue,
  dueState,
  needsReason,
  percentages,
  tallyRows,
  tallyTotal,
  todayInChina,
} from '@/lib/feedback'
import { testI18n, validationProblem } from './helpers'

const tally = (t: Partial<DispositionTally>): DispositionTally => ({
  adopted: 0,
  partly_adopted: 0,
  not_adopted: 0,
  not_applicable: 0,
  undecided: 0,
  ...t,
})

describe('percentages', () => {
  it('are whole numbers that add up to 100', () => {
    expect(percentages([1, 1, 1])).toEqual([34, 33, 33])
    expect(percentages([2, 1])).toEqual([67, 33])
    expect(percentages([7, 0, 3])).toEqual([70, 0, 30])
    for (const counts of [[1, 2, 3, 4, 5], [13, 7, 1], [999, 1, 1]]) {
      expect(percentages(counts).reduce((a, b) => a + b, 0)).toBe(100)
    }
  })

  it('are all zero when there is nothing to count', () => {
    expect(percentages([0, 0, 0])).toEqual([0, 0, 0])
    expect(percentages([])).toEqual([])
  })
})

describe('tallyRows', () => {
  it('lists the dispositions in the report’s order, undecided only when there are any', () => {
    const rows = tallyRows(tally({ adopted: 3, not_adopted: 1 }))
    expect(rows.map((r) => r.key)).toEqual(['adopted', 'partly_adopted', 'not_adopted', 'not_applicable'])
    expect(rows.map((r) => r.percent)).toEqual([75, 0, 25, 0])
    expect(tallyRows(tally({ adopted: 1, undecided: 1 })).map((r) => r.key)).toContain('undecided')
    expect(tallyRows(tally({ adopted: 1, undecided: 1 }), false).map((r) => r.key)).not.toContain('undecided')
    expect(tallyRows(tally({ adopted: 1 }), true).at(-1)).toEqual({ key: 'undecided', count: 0, percent: 0 })
  })

  it('counts every comment once', () => {
    expect(tallyTotal(tally({ adopted: 2, partly_adopted: 1, not_adopted: 3, not_applicable: 1, undecided: 4 }))).toBe(11)
  })
})

describe('deadlines in China', () => {
  it('takes today’s date in China, whatever the browser’s zone', () => {
    // 16:30 UTC on 1 May is already 2 May in China.
    expect(todayInChina(new Date('2026-05-01T16:30:00Z'))).toBe('2026-05-02')
    expect(todayInChina(new Date('2026-05-01T15:59:00Z'))).toBe('2026-05-01')
  })

  it('counts days to the due date and says when it is overdue', () => {
    const now = new Date('2026-05-01T04:00:00Z') // noon in China
    expect(daysUntilDue('2026-05-03', now)).toBe(2)
    expect(daysUntilDue('2026-05-01', now)).toBe(0)
    expect(daysUntilDue('2026-04-28', now)).toBe(-3)
    expect(dueState('2026-05-03', 0, now)).toBe('upcoming')
    expect(dueState('2026-05-01', 0, now)).toBe('today')
    expect(dueState('2026-04-28', 0, now)).toBe('overdue')
    expect(dueState('2026-04-28', 1, now)).toBe('published')
    expect(dueState(undefined, 0, now)).toBe('none')
  })
})

describe('small rules', () => {
  it('asks for a reason when a point is not, or only partly, adopted', () => {
    expect(['adopted', 'partly_adopted', 'not_adopted', 'not_applicable', ''].map((d) => needsReason(d as never))).toEqual([
      false,
      true,
      true,
      false,
      false,
    ])
  })

  it('links to the canonical text', () => {
    expect(canonicalUrl('d-1', 2)).toBe('/api/v1/decisions/d-1/feedback-reports/2/canonical')
  })
})

describe('TallyChart', () => {
  it('says each number in words beside its bar, in both languages', () => {
    const t = tally({ adopted: 2, not_adopted: 1, not_applicable: 1 })
    const zh = mount(TallyChart, { props: { tally: t, label: '统计' }, global: { plugins: [testI18n()] } })
    const rows = zh.findAll('li')
    expect(rows).toHaveLength(4)
    expect(rows[0]!.text()).toContain('采纳')
    expect(rows[0]!.text()).toContain('2 条，占 50%')
    expect(rows[0]!.get('.tally__track').attributes('aria-hidden')).toBe('true')
    expect((rows[0]!.get('.tally__bar').element as HTMLElement).style.width).toBe('50%')
    const en = mount(TallyChart, { props: { tally: t, label: 'Tally' }, global: { plugins: [testI18n('en')] } })
    expect(en.findAll('li')[2]!.text()).toContain('Not adopted')
    expect(en.findAll('li')[2]!.text()).toContain('1 comment, 25%')
  })

  it('says so when there is nothing to count', () => {
    const w = mount(TallyChart, { props: { tally: tally({}), label: 'x' }, global: { plugins: [testI18n()] } })
    expect(w.find('ul').exists()).toBe(false)
    expect(w.text()).toContain('还没有可以统计的意见。')
  })
})

describe('DispositionForm', () => {
  it('asks for a choice before sending anything, and shows the server’s refusal at the reason', async () => {
    const save = vi.fn().mockRejectedValueOnce(validationProblem([{ field: 'reason', code: 'required', message: 'server text' }]))
    const w = mount(DispositionForm, {
      props: { idPrefix: 'vp', legend: '观点', submitLabel: '保存', save },
      global: { plugins: [testI18n()] },
    })
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(save).not.toHaveBeenCalled()
    expect(w.get('#vp-disposition-error').text()).toContain('请选择采纳情况。')
    await w.get('#vp-disposition').setValue('not_adopted')
    // The reason is marked as required once the choice needs it.
    expect(w.get('label[for=vp-reason]').text()).not.toContain('选填')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(save).toHaveBeenCalledWith({ disposition: 'not_adopted', reason: undefined, reply: undefined })
    expect(w.get('#vp-reason-error').text()).toContain('未采纳或部分采纳时必须说明理由。')
    expect(w.get('#vp-reason').attributes('aria-invalid')).toBe('true')
  })
})

describe('CommentAnswerBox', () => {
  const answer: CommentAnswer = {
    disposition: 'partly_adopted',
    reason: '部分路段不具备条件。',
    reply: '感谢您的建议。',
    viewpoint_title: '增加临时泊位',
    can_rate: true,
  }
  const mountBox = (a: CommentAnswer, rate?: (b: unknown) => Promise<CommentAnswer>, locale: 'zh-CN' | 'en' = 'zh-CN') =>
    mount(CommentAnswerBox, {
      props: { answer: a, commentId: 'c1', decisionId: 'd1', headingLevel: 3, rate },
      global: { plugins: [testI18n(locale)], stubs: { RouterLink: RouterLinkStub } },
    })

  it('shows the disposition, the viewpoint, the reason and the reply', () => {
    const w = mountBox(answer)
    const text = w.text()
    expect(w.get('h3').text()).toBe('采纳情况答复')
    for (const s of ['部分采纳', '增加临时泊位', '部分路段不具备条件。', '感谢您的建议。']) expect(text).toContain(s)
    // No way to rate without a way to send it.
    expect(w.find('form').exists()).toBe(false)
  })

  it('needs a choice, then sends the rating once and shows it', async () => {
    const rate = vi.fn(async () => ({ ...answer, can_rate: false, satisfaction: 'basically_satisfied' as const }))
    const w = mountBox(answer, rate)
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(rate).not.toHaveBeenCalled()
    expect(w.get('#ans-c1-satisfaction-error').text()).toContain('请选择满意程度。')
    await w.get('#ans-c1-satisfaction-basically_satisfied').setValue(true)
    await w.get('#ans-c1-remark').setValue('  希望尽快落实  ')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(rate).toHaveBeenCalledWith({ satisfaction: 'basically_satisfied', remark: '希望尽快落实' })
    const next = w.emitted('rated')?.[0]?.[0] as CommentAnswer
    expect(next.satisfaction).toBe('basically_satisfied')
    await w.setProps({ answer: next })
    expect(w.find('form').exists()).toBe(false)
    expect(w.get('[data-testid=satisfaction]').text()).toBe('基本满意')
    expect(w.text()).toContain('感谢您的评价。')
  })

  it('says when there is no answer of its own, in English too', () => {
    const w = mountBox({ can_rate: true }, undefined, 'en')
    expect(w.text()).toContain('The agency gave no answer of its own to this comment.')
  })
})
