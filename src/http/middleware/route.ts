/** Asks the service what the request is (its route: target, access, body kind); answers nothing itself. */
import type { Route } from '../../service/route-request.js';
import type { Step } from '../exchange.js';

export const route =
  (router: (method: string, path: string) => Route): Step =>
  async (x) => {
    x.route = router(x.method, x.path);
  };
