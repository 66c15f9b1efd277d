// uTP is off in every Peerback client (node-client.ts): the package build gives WebTorrent this
// empty module for `utp-native`, which it would otherwise look for, and warn about, at start.
export default {}
