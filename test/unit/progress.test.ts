// The hashing progress a site owner sees: a bar on a terminal, a line per tenth in logs, and
// nothing at all for a run that ends before the delay.
import { expect, test } from 'vitest'
import { progressOn, renderBar } from '../../src/publisher/progress.ts'

function stream (isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const fake = { isTTY, text: '', write (chunk: string) { fake.text += chunk; return true } }
  return fake as unknown as NodeJS.WriteStream & { text: string }
}

test('the bar shows the share done and the sizes', () => {
  expect(renderBar(0, 4 * 1024 * 1024, 10)).toBe('[----------]   0%  0 bytes of 4 MiB')
  expect(renderBar(3 * 1024 * 1024, 4 * 1024 * 1024, 10)).toBe('[########--]  75%  3 MiB of 4 MiB')
  expect(renderBar(5, 0, 4)).toBe('[####] 100%  5 bytes of 0 bytes')
})

test('on a terminal the bar is redrawn in place and ends with a newline', () => {
  let clock = 0
  const out = stream(true)
  const progress = progressOn(out, 'hashing', { delayMs: 100, now: () => clock })
  progress.update(10, 100)
  expect(out.text).toBe('') // too early to bother anyone
  clock = 200
  progress.update(50, 100)
  progress.update(100, 100)
  progress.done()
  progress.done()
  expect(out.text.split('\r').filter(Boolean)).toHaveLength(2)
  expect(out.text).toMatch(/\rhashing \[#+\] 100%.*\n$/)
  expect(out.text.endsWith('\n') && !out.text.endsWith('\n\n')).toBe(true)
})

test('in a log, one line per tenth at most', () => {
  let clock = 1000
  const out = stream(false)
  const progress = progressOn(out, 'hashing', { delayMs: 0, now: () => clock++ })
  for (let done = 0; done <= 1000; done += 1) progress.update(done, 1000)
  progress.done()
  expect(out.text.split('\n').filter(Boolean)).toHaveLength(11)
  expect(out.text).not.toContain('\r')
})
