/** Paths under /taxii2/ go to the TAXII 2.1 adapter (its own media types, errors and Basic auth). */
import type { TokenVerifier } from '../../auth/verify-token.js';
import type { Logger } from 'pino';
import type { Store } from '../../storage/store.js';
import type { BasicVerifier } from '../../taxii/basic-credentials.js';
import type { Step } from '../exchange.js';
import { originOf } from '../origin.js';
import { handleTaxiiHttp } from '../taxii-adapter.js';

export const serveTaxii =
  (config: { store: Store; verifyToken: TokenVerifier; logger: Logger; maxBodyBytes: number; trustProxy: boolean; basic?: BasicVerifier }): Step =>
  async (x) => {
    if (x.path !== '/taxii2' && !x.path.startsWith('/taxii2/')) return;
    x.answered = true;
    await handleTaxiiHttp(x.req, x.res, {
      store: config.store,
      verifyToken: config.verifyToken,
      logger: config.logger,
      maxBodyBytes: config.maxBodyBytes,
      origin: originOf(x.req, config.trustProxy),
      ...(config.basic ? { basic: config.basic } : {}),
    });
    return 'done';
  };
