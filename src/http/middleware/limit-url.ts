/** Refuses a request URL longer than the limit (414) before anything else reads it. */
import { errors } from '../../errors/catalog.js';
import type { Step } from '../exchange.js';

export const limitUrl =
  (maxUrlLength: number): Step =>
  async (x) => {
    if (x.url.length > maxUrlLength) throw errors.uriTooLong(maxUrlLength);
  };
