import { expect, test } from 'vitest'
import { followedTarget, followUrl } from '../../src/render/follow-link.ts'

test('a followed link carries its target, and only a web address comes back out', () => {
  const target = 'http://site.test:8080/about/?a=1&b=2#top'
  expect(followUrl(target)).toMatch(/^about:blank#peerback-follow=/)
  expect(followedTarget(followUrl(target))).toBe(target)
  expect(followedTarget('about:blank')).toBeNull()
  expect(followedTarget('http://site.test/')).toBeNull()
  expect(followedTarget(followUrl('javascript:alert(1)'))).toBeNull()
  expect(followedTarget('about:blank#peerback-follow=%E0%A4%A')).toBeNull()
})
