import type { PageMeta } from './types'

export interface Page<T> {
  items: T[]
  meta: PageMeta
}

/** The API's largest page size. */
export const MAX_PER_PAGE = 200

/**
 * Fetches every page of a paginated list, in order. `maxPages` bounds the loop so a
 * misbehaving server cannot keep the browser busy forever.
 */
export async function fetchAllPages<T>(
  getPage: (page: number, perPage: number) => Promise<Page<T>>,
  maxPages = 50,
): Promise<T[]> {
  const all: T[] = []
  for (let page = 1; page <= maxPages; page++) {
    const { items, meta } = await getPage(page, MAX_PER_PAGE)
    all.push(...items)
    if (page >= meta.total_pages || items.length === 0) break
  }
  return all
}
