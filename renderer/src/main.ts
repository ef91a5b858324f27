import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { currentAccess } from './bridge'
import { i18n } from './i18n'
import './styles/base.css'

/** The GUI; loading it makes the bridge to the engine (services/engine.ts). */
async function startGui(): Promise<void> {
  const { default: App } = await import('./App.vue')
  createApp(App).use(createPinia()).use(i18n).mount('#app')
}

// First: in a browser this takes the access token (or a classroom's join code) out of the address bar.
const access = currentAccess()
if (access.kind === 'join') {
  // A trainee of classroom mode who has not joined yet: the name first, then the GUI.
  void import('./views/classroom/JoinPage.vue').then(({ default: JoinPage }) => {
    const page = createApp(JoinPage, {
      access,
      onJoined: () => {
        page.unmount()
        void startGui()
      }
    })
    page.use(createPinia()).use(i18n).mount('#app')
  })
} else void startGui()
