import type { FastifyPluginAsync } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { Deps } from '../../flows/deps.js';
import type { Logger } from '../../platform/logger.js';

/** Dependencies opened for one embedding, with what closes them (stores, key maintenance). */
export interface EmbeddedDeps {
  deps: Deps;
  close(): Promise<void>;
}

/**
 * The Fastify plugin behind `tessera(options)`: opens the dependencies when the host registers it
 * (logging through the host's logger unless told otherwise), mounts Tessera, and closes the stores
 * when the host app closes. Wrapped with fastify-plugin so `app.tessera` and `request.principal`
 * reach the host's routes; Tessera's own hooks stay in their child context (mountTessera). The routes
 * and stores load when the host registers the plugin, so `import { signJwt } from 'tessera'` does not
 * load Fastify's routes, the database drivers and Redis.
 */
export function createTesseraPlugin(
  open: (hostLogger: Logger) => Promise<EmbeddedDeps>,
  prefix: string,
): FastifyPluginAsync {
  return fastifyPlugin(
    async function tesseraPlugin(app) {
      const { mountTessera } = await import('./mount-tessera.js');
      const embedded = await open(app.log as unknown as Logger);
      try {
        await mountTessera(app, embedded.deps, prefix);
      } catch (error) {
        await embedded.close();
        throw error;
      }
      app.addHook('onClose', async () => embedded.close());
    },
    { name: 'tessera', fastify: '5.x' },
  );
}
