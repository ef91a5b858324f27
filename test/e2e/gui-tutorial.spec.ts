/** The seed tutorial done entirely through the GUI, in English (see seed-tutorial.ts). */
import { openGui, test } from './gui-fixture'
import { doSeedTutorial } from './seed-tutorial'

test('a trainee does the whole seed tutorial in the GUI', async ({ page, gui }) => {
  await openGui(page, gui)
  await doSeedTutorial(page, {
    nextHint: 'Create a service group',
    apikeyProblem: 'Enter an API key',
    allDone: 'The whole tutorial works.'
  })
})
