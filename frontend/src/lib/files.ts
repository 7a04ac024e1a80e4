// Saving text made in the page as a file; a fresh idempotency key; copying to the clipboard.

/** Offers `text` as a download named `name`. */
export function saveText(name: string, text: string, type = 'text/plain;charset=utf-8'): void {
  // A BOM so that older Windows programs read the UTF-8 Chinese correctly.
  saveBlob(name, new Blob(['\ufeff', text], { type }))
}

export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A fresh key for one form submission (the server answers a retry with the first result). */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto
  if (c && typeof c.randomUUID === 'function') return c.randomUUID()
  const bytes = new Uint8Array(16)
  c.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Copies text to the clipboard; false when the browser refuses. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}
