// cose-js ships no types; only the MAC calls the cross-checks use are declared.
declare module 'cose-js' {
  type Headers = { p?: Record<string, unknown>; u?: Record<string, unknown> };
  const cose: {
    mac: {
      create(
        headers: Headers,
        payload: Buffer,
        recipient: { key: Buffer },
        externalAad?: Buffer,
      ): Promise<Buffer>;
      read(data: Buffer, key: Buffer, externalAad?: Buffer): Promise<Buffer>;
    };
  };
  export default cose;
}
