// A datasource in the shape of renovate's aws-machine-image and docker datasources (c2dd4f85): each public method
// caches its private twin under a key of its own, and one twin calls another public method (getDigest reads the
// releases; getTags retries itself for the `library/` repository). Each is a new call of withCache with its own key.
import { withCache } from './with-cache.js';

export class ImageDatasource {
  getDigest(name: string): Promise<string | null> {
    return withCache({ namespace: 'datasource-image', key: `getDigest:${name}` }, () => this.#getDigest(name));
  }

  getReleases(name: string): Promise<string[]> {
    return withCache({ namespace: 'datasource-image', key: `getReleases:${name}` }, () => this.#getReleases(name));
  }

  getTags(registry: string, repository: string): Promise<string[]> {
    return withCache({ namespace: 'datasource-image-tags', key: `${registry}:${repository}` }, () => this.#getTags(registry, repository));
  }

  async #getDigest(name: string): Promise<string | null> {
    const releases = await this.getReleases(name);
    return releases.at(-1) ?? null;
  }

  async #getReleases(name: string): Promise<string[]> {
    return [name];
  }

  async #getTags(registry: string, repository: string): Promise<string[]> {
    if (!repository.includes('/')) return this.getTags(registry, `library/${repository}`);
    return [registry];
  }
}
