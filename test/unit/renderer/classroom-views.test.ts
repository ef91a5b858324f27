import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useUi } from '../../../renderer/src/stores/ui'

describe('the views a page offers', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('are all but the classroom for the only user', () => {
    const ui = useUi()
    expect(ui.views).toEqual(['overview', 'provisioning', 'device', 'inspector', 'simulator', 'settings', 'lessons', 'history'])
    ui.show('classroom')
    expect(ui.view).toBe('overview')
  })

  it('include the classroom for the trainer, key 8 (the history after it)', () => {
    const ui = useUi()
    ui.hideViews(new Set())
    expect(ui.views.indexOf('classroom')).toBe(7)
    ui.show('classroom')
    expect(ui.view).toBe('classroom')
  })

  it('leave out what a trainee cannot use, also when asked for, and leave a hidden current view', () => {
    const ui = useUi()
    ui.show('settings')
    ui.hideViews(new Set(['inspector', 'settings', 'classroom']))
    expect(ui.view).toBe('overview')
    expect(ui.views).toEqual(['overview', 'provisioning', 'device', 'simulator', 'lessons', 'history'])
    ui.show('inspector')
    expect(ui.view).toBe('overview')
    ui.show('lessons')
    expect(ui.view).toBe('lessons')
  })
})
