// Compression in request handlers and their tests, as a federated social server writes it: gzip a sitemap in an
// RPC route, compress request bodies in every encoding the server accepts. zlib has no promise API; the fix
// promisifies each function's callback twin.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import * as zlib from 'node:zlib';

const SITEMAP_INDEX = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></sitemapindex>`;

export const sitemapRoutes = {
  async getSitemapIndex(): Promise<{ sitemap: Buffer }> {
    return {
      sitemap: gzipSync(Buffer.from(SITEMAP_INDEX)), // expect: sync-io-in-async
    };
  },
};

export async function encodedBodies(bytes: Buffer): Promise<Buffer[]> {
  const deflated = deflateSync(bytes); // expect: sync-io-in-async
  const brotli = brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }); // expect: sync-io-in-async
  return [deflated, brotli];
}

/** A downloaded package tarball, unzipped through the namespace binding. */
export async function unpack(download: () => Promise<Buffer>): Promise<number> {
  const buffer = zlib.unzipSync(await download()); // expect: sync-io-in-async
  return buffer.length;
}
