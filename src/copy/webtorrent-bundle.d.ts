// The bundle as the viewer imports it, by its path in the built extension (vite.config.ts copies it
// there); the tsconfigs map that path here.
import type { WebTorrentConstructor } from './webtorrent'

declare const WebTorrent: WebTorrentConstructor
export default WebTorrent
