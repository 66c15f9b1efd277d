// WebTorrent client options for Node peers (`peerback seed`, test seeders): browsers reach them only
// over WebRTC through trackers, so DHT, LSD, uTP and port mapping are off — nothing is announced
// beyond the torrents' own trackers.
import type { ClientOptions } from 'webtorrent'

/** `stun: false` for loopback worlds (tests, the demo), where STUN servers must not be contacted. */
export const nodeClientOptions = ({ stun }: { stun: boolean }): ClientOptions => ({
  dht: false,
  lsd: false,
  utp: false,
  natUpnp: false,
  natPmp: false,
  ...(!stun && { tracker: { rtcConfig: { iceServers: [] } } })
})
