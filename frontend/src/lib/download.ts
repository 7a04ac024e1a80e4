import { sessionState } from '@/session/state'
import { saveBlob } from './files'

/**
 * Fetches a file that needs the session (a CSV export) with the Authorization header, and
 * saves it under the server's file name, or `fallbackName`. Throws on failure.
 */
export async function downloadWithToken(path: string, fallbackName: string): Promise<void> {
  const headers: Record<string, string> = {}
  if (sessionState.token) headers.Authorization = `Bearer ${sessionState.token}`
  const r = await fetch(`/api/v1${path}`, { headers })
  if (!r.ok) throw new Error(`HTTP ${r.status}`)
  const disposition = r.headers.get('Content-Disposition') ?? ''
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName
  saveBlob(name, await r.blob())
}
