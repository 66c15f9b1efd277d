// The viewer: the extension page a failed-over tab shows. It will host the tab's WebTorrent client
// (vendor/webtorrent.min.js, loaded on demand) and the sandboxed frame that renders the copy.
const original = new URLSearchParams(location.search).get('url') ?? ''
;(document.getElementById('original-url') as HTMLElement).textContent = original
if (original !== '') document.title = `Peerback copy of ${original}`
