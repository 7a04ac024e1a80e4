import { watchEffect } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRoute } from 'vue-router'

/** Keeps document.title as "<page> – 问计" (or "– Wenji"), following route and language. */
export function usePageTitle(): void {
  const route = useRoute()
  const { t } = useI18n()
  watchEffect(() => {
    const site = t('app.name')
    const key = route.meta.titleKey
    document.title = key ? `${t(key)} – ${site}` : site
  })
}
