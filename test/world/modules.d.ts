// Packages of the test world that ship no types of their own.
declare module 'bencode' {
  const bencode: { encode: (value: unknown) => Uint8Array, decode: (bytes: Uint8Array) => any }
  export default bencode
}
