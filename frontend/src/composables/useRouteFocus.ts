import { nextTick, type Ref } from 'vue'
import { useRouter } from 'vue-router'

/**
 * After each navigation inside the app (not the first page load), moves the focus to the new
 * page's h1, so screen-reader and keyboard users start at the new content, as they would on a
 * full page load. Falls back to <main>.
 */
export function useRouteFocus(main: Ref<HTMLElement | null>): void {
  const router = useRouter()
  let first = true
  router.afterEach((to, from, failure) => {
    if (failure) return
    if (first) {
      first = false
      return
    }
    if (to.path === from.path) return
    void nextTick(() => {
      const root = main.value
      if (!root) return
      const h1 = root.querySelector<HTMLElement>('h1')
      const target = h1 ?? root
      if (h1 && !h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1')
      target.focus({ preventScroll: true })
    })
  })
}
