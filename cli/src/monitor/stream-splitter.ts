// Splits what a serial port carries into console text lines and binary link frames. A
// post's link frames are COBS-stuffed between 0x00 delimiters and start with one
// (protocol/serial-framing), while console text never contains 0x00, so a 0x00 is always
// the start or the end of a frame. This lets one monitor serve both a console cable and a
// tap on the post-gateway line.

export type StreamPiece =
  | { type: 'line'; text: string }
  /** The frame as it was on the wire, delimiters included, ready for FrameDecoder. */
  | { type: 'frame'; wire: Uint8Array };

const delimiter = 0x00;
// A console line longer than this without a newline is shown anyway (a binary burst).
const maxLineBytes = 1024;

export class StreamSplitter {
  private text: number[] = [];
  private frame: number[] | undefined;

  push(bytes: Uint8Array): StreamPiece[] {
    const pieces: StreamPiece[] = [];
    for (const byte of bytes) {
      if (this.frame !== undefined) {
        this.pushFrameByte(byte, pieces);
      } else if (byte === delimiter) {
        this.flushText(pieces);
        this.frame = [];
      } else if (byte === 0x0a || this.text.length >= maxLineBytes) {
        if (byte !== 0x0a) this.text.push(byte);
        this.flushText(pieces, true);
      } else {
        this.text.push(byte);
      }
    }
    return pieces;
  }

  /** Text received without its newline yet (a prompt, a half line). */
  pendingText(): string {
    return Buffer.from(this.text).toString('latin1');
  }

  private pushFrameByte(byte: number, pieces: StreamPiece[]): void {
    const frame = this.frame ?? [];
    if (byte !== delimiter) {
      frame.push(byte);
      return;
    }
    // Two delimiters in a row are idle fill or the leading 0x00 of the next frame.
    if (frame.length === 0) return;
    pieces.push({
      type: 'frame',
      wire: Uint8Array.from([delimiter, ...frame, delimiter]),
    });
    this.frame = undefined;
  }

  private flushText(pieces: StreamPiece[], force = false): void {
    if (this.text.length === 0 && !force) return;
    const text = Buffer.from(this.text).toString('latin1').replace(/\r$/, '');
    this.text = [];
    if (text.length > 0 || force) pieces.push({ type: 'line', text });
  }
}
