// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor): check value
// 0x29B1 over "123456789". Bitwise rather than table-driven: 512 bytes of table is a lot of
// Puck.js variables, and link frames are short.

export function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc = (crc ^ (bytes[i] * 256)) & 0xffff;
    for (let bit = 0; bit < 8; bit++) {
      crc = (crc & 0x8000) !== 0 ? ((crc * 2) ^ 0x1021) & 0xffff : (crc * 2) & 0xffff;
    }
  }
  return crc;
}
