// The part of yazl (zip writer, a dev dependency without types) the tests and the import
// benchmark use.
declare module "yazl" {
  import type { Readable } from "node:stream";
  export class ZipFile {
    outputStream: Readable;
    addBuffer(buffer: Buffer, metadataPath: string, options?: { compress?: boolean; mtime?: Date }): void;
    addEmptyDirectory(metadataPath: string): void;
    end(): void;
  }
  const yazl: { ZipFile: typeof ZipFile };
  export default yazl;
}
