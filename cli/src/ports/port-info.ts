// The fields of a listed serial port that ranking uses. Declared here because
// @serialport/bindings-interface ships its types without an `exports` types entry, so
// TypeScript's bundler resolution cannot see them.

export interface PortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}
