// A site owner's own web server in the test world: Debian's nginx serving a site with the header
// snippet `peerback publish` wrote included, and the published torrents under /peerback/, as the
// snippet's paths say. Listens on loopback (IPv4 and IPv6) as `localhost`.
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.ts'

export interface Nginx {
  /** `http://localhost:<port>/` */
  readonly url: string
  readonly port: number
  stop: () => Promise<void>
}


export async function startNginx ({ root, torrents, snippet, port }: { root: string, torrents: string, snippet: string, port?: number }): Promise<Nginx> {
  const dir = await mkdtemp(join(tmpdir(), 'peerback-nginx-'))
  await mkdir(join(dir, 'tmp'))
  const listenPort = port ?? await freePort()
  const conf = join(dir, 'nginx.conf')
  await writeFile(conf, `worker_processes 1;
error_log ${dir}/error.log;
pid ${dir}/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  types { text/html html; text/css css; image/svg+xml svg; application/x-bittorrent torrent; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${listenPort};
    listen [::1]:${listenPort};
    server_name localhost;
    root ${root};
    location ^~ /peerback/ { alias ${torrents}/; }
    include ${snippet};
  }
}
`)
  const nginx = spawn('nginx', ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  nginx.stderr.setEncoding('utf8').on('data', (chunk: string) => { log += chunk })
  const exited = new Promise<void>((resolve) => nginx.on('close', () => resolve()))
  // Ready once it answers.
  const until = Date.now() + 10_000
  for (;;) {
    const answered = await fetch(`http://127.0.0.1:${listenPort}/`).then(() => true, () => false)
    if (answered) break
    if (nginx.exitCode !== null || Date.now() > until) throw new Error(`nginx did not start:\n${log}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    url: `http://localhost:${listenPort}/`,
    port: listenPort,
    stop: async () => {
      nginx.kill('SIGTERM')
      await exited
      await rm(dir, { recursive: true, force: true })
    }
  }
}
