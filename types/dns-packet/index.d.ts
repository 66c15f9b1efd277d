// The part of dns-packet that src/protocol/dns-message.ts uses, for the extension's type check
// (tsconfig.extension.json): @types/dns-packet pulls in Node's types, which the extension must not see.
interface Question { type: string, name: string, class?: string }
export interface TxtAnswer { type: 'TXT', name: string, data: string | Uint8Array | Array<string | Uint8Array> }
type Answer = TxtAnswer | { type: Exclude<string, 'TXT'>, name: string, data?: unknown }
export interface Packet { type?: 'query' | 'response', id?: number, flags?: number, questions?: Question[], answers?: Answer[] }
export interface DecodedPacket extends Packet { flag_ad: boolean }
declare const dnsPacket: {
  RECURSION_DESIRED: number
  AUTHENTIC_DATA: number
  encode: (packet: Packet) => Uint8Array
  decode: (wire: Uint8Array) => DecodedPacket
}
declare namespace dnsPacket { export { DecodedPacket, TxtAnswer } }
export default dnsPacket
