import { saveBlob } from './files'

/**
 * Fetches a file that needs the session (a CSV export, a draft's attachment) — the session
 * cookie goes along by itself — and saves it under the server's file name, or
 * `fallbackName`. Throws on failure.
 */
export async function downloadWithSession(path: string, fallbackName: string): Promise<void> {
  const r = await fetch(`/api/v1${path}`, { credentials: 'same-origin' })
  if (!r.ok) throw new Error(`HTTP ${r.status}`)
  const disposition = r.headers.get('Content-Disposition') ?? ''
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName
  saveBlob(name, await r.blob())
}
