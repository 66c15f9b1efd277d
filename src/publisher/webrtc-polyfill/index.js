// Stand-in for the `webrtc-polyfill` package that simple-peer imports unconditionally.
// simple-peer 10 ignores a `wrtc` option, so the Node seeders get real WebRTC by this
// npm override instead. Test and publisher use only; never bundled into the extension.
import wrtc from '@roamhq/wrtc'

export const {
  RTCPeerConnection,
  RTCSessionDescription,
  RTCIceCandidate,
  MediaStream,
  MediaStreamTrack
} = wrtc
export default wrtc
