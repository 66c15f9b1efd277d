// Same-site links inside Firefox's copy: no script of ours runs in its sandboxed srcdoc frame to
// catch a click, and the extension's `frame-src` keeps the frame from loading the web (nor may an
// opaque frame load the extension's own pages). So such a link sends the frame to `about:blank`,
// the target in its fragment; the background sees the frame go there (background/copy-frame.ts)
// and the viewer shows the target from the copy.
const PREFIX = 'about:blank#peerback-follow='

/** Where a same-site link of the copy points instead of `target`. */
export function followUrl (target: string): string {
  return `${PREFIX}${encodeURIComponent(target)}`
}

/** The link target a frame's address carries, or null when it is not a followed link. */
export function followedTarget (url: string): string | null {
  if (!url.startsWith(PREFIX)) return null
  let target: string
  try {
    target = decodeURIComponent(url.slice(PREFIX.length))
  } catch {
    return null
  }
  return /^https?:\/\//.test(target) && URL.canParse(target) ? target : null
}
