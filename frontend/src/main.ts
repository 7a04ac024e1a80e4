import { createApp } from 'vue'
import App from './App.vue'
import { applyDocumentLocale, currentLocale, i18n } from './i18n'
import { createAppRouter } from './router'
import './styles/index.css'

applyDocumentLocale(currentLocale())

const app = createApp(App)
app.use(i18n)
app.use(createAppRouter())
app.mount('#app')
