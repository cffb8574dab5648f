/** The last step: the service answers the routed request, and the answer is written. */
import type { Route } from '../../service/route-request.js';
import type { ServiceRequest, ServiceResponse } from '../../service/handle-odata-request.js';
import type { Responder } from '../respond.js';
import type { Step } from '../exchange.js';
import { originOf } from '../origin.js';
import { clientKey } from '../client-key.js';

export const dispatch =
  (service: (route: Route, req: ServiceRequest) => Promise<ServiceResponse>, responder: Responder, trustProxy: boolean): Step =>
  async (x) => {
    const prefer = x.req.headers.prefer;
    const out = await service(x.route!, {
      method: x.method,
      path: x.path,
      query: x.query,
      origin: originOf(x.req, trustProxy),
      prefer: Array.isArray(prefer) ? prefer.join(',') : prefer,
      body: x.body,
      client: clientKey(x),
    });
    responder.respond(x, out.status, out.headers, out.body);
    return 'done';
  };
