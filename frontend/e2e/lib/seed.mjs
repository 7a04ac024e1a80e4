// Test data made through the public API, beside the demo district (whose titles these avoid).

export const PASSWORD = 'wenji-demo-2026'

export const DRAFT_TEXT = [
  '第一章 总则',
  '第一条 为了规范示范区机动车停车管理，方便群众出行，制定本办法。',
  '第二条 本办法适用于示范区内道路停车泊位和公共停车场的管理。',
  '第二章 停车管理',
  '第三条 机动车停放应当遵守下列规定：',
  '（一）在划定的泊位内停放；',
  '（二）按照规定缴纳停车费；',
  '（三）不得占用消防通道。',
  '第四条 本办法自2027年1月1日起施行。',
].join('\n')

/**
 * @param {string} baseUrl
 * @param {string} path
 * @param {{ method?: string, token?: string, body?: unknown, headers?: Record<string, string> }} [opts]
 */
export async function apiCall(baseUrl, path, opts = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json', ...(opts.headers ?? {}) }
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
  const r = await fetch(`${baseUrl}/api/v1${path}`, {
    method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'),
    headers,
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  })
  const text = await r.text()
  const data = text ? JSON.parse(text) : null
  if (!r.ok) throw new Error(`${opts.method ?? 'GET'} ${path}: ${r.status} ${text}`)
  return data
}

/** @param {string} baseUrl @param {string} email */
export async function tokenFor(baseUrl, email) {
  const s = await apiCall(baseUrl, '/auth/login', { body: { email, password: PASSWORD } })
  return /** @type {string} */ (s.token)
}

/**
 * A decision of 示范区发展和改革委员会 with two versions, open for comment (pre-moderated),
 * and one published comment on 第三条 and one withheld as spam.
 * @param {string} baseUrl
 * @param {{ title?: string, comments?: boolean, anonymous?: boolean, closesInSeconds?: number }} [opts]
 */
export async function seedConsultation(baseUrl, opts = {}) {
  const token = await tokenFor(baseUrl, 'fgw.staff@wenji.demo')
  const areas = await apiCall(baseUrl, '/policy-areas')
  const decision = await apiCall(baseUrl, '/decisions', {
    token,
    body: {
      policy_area_id: areas.items[0].id,
      title: opts.title ?? '示范区机动车停车管理办法（征求意见稿）',
      summary: '规范示范区机动车停车秩序，增加停车供给。',
      basis: '《中华人民共和国道路交通安全法》等法律法规。',
      explanation: '为解决停车难问题，起草了本办法。',
      catalogue_year: new Date().getFullYear(),
    },
  })
  const id = decision.id
  await apiCall(baseUrl, `/decisions/${id}/versions`, { token, body: { text: DRAFT_TEXT.replace('方便群众出行，', ''), note: '初稿' } })
  await apiCall(baseUrl, `/decisions/${id}/versions`, { token, body: { text: DRAFT_TEXT, note: '增加便民内容' } })
  const closes = new Date(Date.now() + (opts.closesInSeconds ?? 40 * 86_400) * 1000).toISOString()
  await apiCall(baseUrl, `/decisions/${id}/consultation`, {
    token,
    body: {
      closes_at: closes,
      short_window_reason: opts.closesInSeconds ? '测试用的短期限。' : undefined,
      anonymous_allowed: opts.anonymous ?? true,
      comments_public: true,
      pre_moderation: true,
    },
  })
  // Publish the first version too, so the public can compare versions.
  const version = await apiCall(baseUrl, `/decisions/${id}/versions/2`)
  const third = version.sections.find((/** @type {any} */ s) => s.label === '第三条')
  if (opts.comments !== false) {
    const ok = await apiCall(baseUrl, `/decisions/${id}/comments`, {
      body: { body: '建议在学校和医院周边增加临时停车泊位。', section_id: third.id, category: 'individual', display_name: '王阿姨' },
    })
    const spam = await apiCall(baseUrl, `/decisions/${id}/comments`, {
      body: { body: '低价代办各类证件，请加微信。', category: 'other' },
    })
    await apiCall(baseUrl, `/decisions/${id}/moderation/actions`, { token, body: { action: 'publish', comment_ids: [ok.comment.id] } })
    await apiCall(baseUrl, `/decisions/${id}/moderation/actions`, {
      token,
      body: { action: 'hide', reason: 'spam', comment_ids: [spam.comment.id] },
    })
  }
  return { id, token, thirdSectionId: /** @type {string} */ (third.id) }
}

/** A tiny but well-formed PDF, made here so the tests need no file. */
export const MINIMAL_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
)

/**
 * Uploads a file to a decision (multipart/form-data, field `file`).
 * @param {string} baseUrl @param {string} token @param {string} decisionId
 * @param {{ name: string, type: string, bytes: Uint8Array }} file
 */
export async function uploadAttachment(baseUrl, token, decisionId, file) {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name)
  const r = await fetch(`${baseUrl}/api/v1/decisions/${decisionId}/attachments`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    body: form,
  })
  const text = await r.text()
  if (!r.ok) throw new Error(`upload ${file.name}: ${r.status} ${text}`)
  return JSON.parse(text)
}
