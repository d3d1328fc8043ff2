/// <reference lib="dom" />
// Two workers of a photo app: one imports into the library then refreshes thumbnails, the other the other way round.
// The second's outer request does nothing but the inner one, so swapping the two names is safe.
const LIBRARY = 'photos:library';
const THUMBNAILS = 'photos:thumbnails';

export async function importPhotos(files: File[], store: Map<string, Blob>): Promise<void> {
  await navigator.locks.request(LIBRARY, async () => {
    for (const file of files) store.set(file.name, file);
    await navigator.locks.request(THUMBNAILS, async () => {
      store.delete('thumbnails:stale');
    });
  });
}

export async function rebuildThumbnails(store: Map<string, Blob>): Promise<void> {
  await navigator.locks.request(THUMBNAILS, async () => {
    await navigator.locks.request(LIBRARY, async () => { // expect: lock-order
      for (const name of store.keys()) if (name.startsWith('thumb:')) store.delete(name);
    });
  });
}
