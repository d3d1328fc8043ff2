// Bundles the extension with esbuild; the real build is written with the extension.
console.log('client: nothing to bundle yet');
