// `npm run package` from two clean clones of this commit, in different directories, builds
// byte-identical store packages for both browsers, in any time zone.
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, expect, test } from 'vitest'

const REPO = resolve('.')
const clones: string[] = []

afterAll(async () => { await Promise.all(clones.map(async (dir) => { await rm(dir, { recursive: true, force: true }) })) })

/** A clean clone of HEAD, built and packaged as a release would be; its packages/ directory. */
async function packageFromClone (timeZone: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'peerback-release-'))
  clones.push(dir)
  execFileSync('git', ['clone', '--quiet', REPO, join(dir, 'peerback')])
  const clone = join(dir, 'peerback')
  // The same installed packages (package-lock.json pins them): npm ci would fetch the same bytes.
  await symlink(join(REPO, 'node_modules'), join(clone, 'node_modules'))
  const env = { ...process.env, TZ: timeZone }
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: clone, env, stdio: 'ignore' })
  execFileSync('npx', ['tsx', 'release/package.ts'], { cwd: clone, env, stdio: 'ignore' })
  return join(clone, 'packages')
}

test('two clean clones package byte-identical zips for Chrome and Firefox, with SHA256SUMS that match them', async () => {
  const first = await packageFromClone('UTC')
  const second = await packageFromClone('Asia/Tokyo')
  const sums = await readFile(join(first, 'SHA256SUMS'), 'utf8')
  expect(await readFile(join(second, 'SHA256SUMS'), 'utf8')).toBe(sums)
  const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string }
  for (const browser of ['chrome', 'firefox']) {
    const name = `peerback-${browser}-${version}.zip`
    const bytes = await readFile(join(first, name))
    expect(Buffer.compare(bytes, await readFile(join(second, name)))).toBe(0)
    expect(sums).toContain(`  ${name}`)
    expect(bytes.length).toBeGreaterThan(50_000)
  }
}, 240_000)
