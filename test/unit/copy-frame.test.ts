import { expect, test } from 'vitest'
import { copyFrameNavigations } from '../../src/background/copy-frame.ts'

const clock = () => {
  let timers: Array<() => void> = []
  return { after: (_ms: number, task: () => void) => { timers.push(task) }, fire: () => { for (const task of timers) task(); timers = [] } }
}

test('the viewer learns where its frame went, whether the navigation was seen before or after it asks', async () => {
  const time = clock()
  const frames = copyFrameNavigations(time)
  frames.note(3, 'http://site.test/about/', 100)
  expect(await frames.since(3, 50)).toBe('http://site.test/about/')
  const asked = frames.since(3, 200)
  frames.note(3, 'http://site.test/post/', 250)
  expect(await asked).toBe('http://site.test/post/')
  const never = frames.since(4, 0)
  time.fire()
  expect(await never).toBeNull()
  frames.forget(3)
  const gone = frames.since(3, 0)
  time.fire()
  expect(await gone).toBeNull()
})
