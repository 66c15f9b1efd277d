// How to keep `peerback seed` running for months, written beside the other snippets: a systemd
// unit (restarted on failure, reloaded with SIGHUP after a publish, the site read-only) and a
// Containerfile (the site and the output directory mounted as volumes).

export function deployFiles ({ host, outDir, siteDir }: { host: string, outDir: string, siteDir: string }): { systemd: string, containerfile: string } {
  const systemd = `# Peerback seeder for ${host}: install as /etc/systemd/system/peerback-seed.service, then
#   systemctl daemon-reload && systemctl enable --now peerback-seed
# After publishing again: systemctl reload peerback-seed (new torrents start, old ones stop).
[Unit]
Description=Peerback seeder for ${host}
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=/usr/bin/env npx --yes peerback seed ${outDir} --stats-port 9301
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=10
DynamicUser=yes
# The site is only read; the output directory keeps what was verified, to start without hashing.
ReadOnlyPaths=${siteDir}
ReadWritePaths=${outDir}
CacheDirectory=peerback
Environment=npm_config_cache=%C/peerback

[Install]
WantedBy=multi-user.target
`
  const containerfile = `# Peerback seeder for ${host}, as a container:
#   podman build -t peerback-seed -f Containerfile .
#   podman run -d --name peerback-seed -v ${siteDir}:/srv/site:ro -v ${outDir}:/srv/out -p 127.0.0.1:9301:9301 peerback-seed
# After publishing again: podman kill --signal HUP peerback-seed
FROM docker.io/library/node:20-bookworm-slim
RUN npm install --global peerback && npm cache clean --force
VOLUME ["/srv/site", "/srv/out"]
EXPOSE 9301
STOPSIGNAL SIGTERM
CMD ["peerback", "seed", "/srv/out", "--data", "/srv/site", "--stats-port", "9301", "--stats-host", "0.0.0.0"]
`
  return { systemd, containerfile }
}
