// `npm run package`: the Chrome and Firefox packages of the built extension (dist/, dist-firefox/)
// in packages/, with SHA256SUMS beside them. Two clean checkouts of one commit give the same bytes
// (test/node/reproducible-package.test.ts).
import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { deterministicZip } from './deterministic-zip.ts'

const OUT = 'packages'

async function main (): Promise<void> {
  const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string }
  await mkdir(OUT, { recursive: true })
  const sums: string[] = []
  for (const [browser, dir] of [['chrome', 'dist'], ['firefox', 'dist-firefox']] as const) {
    const name = `peerback-${browser}-${version}.zip`
    const zip = await deterministicZip(dir)
    await writeFile(join(OUT, name), zip)
    sums.push(`${createHash('sha256').update(zip).digest('hex')}  ${name}`)
    console.log(`${join(OUT, name)}: ${zip.length} bytes`)
  }
  await writeFile(join(OUT, 'SHA256SUMS'), `${sums.join('\n')}\n`)
  console.log(sums.join('\n'))
}

main().catch((error: unknown) => {
  console.error(`peerback package: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
