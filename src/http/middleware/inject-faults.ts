/**
 * Fault injection as a step of the chain (policy and header syntax: src/faults/fault-policy.ts). It runs after
 * authentication and answers through the chain's one response writer by throwing the Graph-shaped 429/503.
 */
import type { ODataError } from '../../errors/odata-error.js';
import { maybeInjectFault, type FaultPolicy } from '../../faults/fault-policy.js';
import type { Exchange, Step } from '../exchange.js';

export interface InjectFaultsOptions {
  readonly random?: () => number;
  /** Called for every injected fault (logging, tests). */
  readonly onFault?: (fault: ODataError, x: Exchange) => void;
}

export const injectFaults =
  (policy: FaultPolicy, options: InjectFaultsOptions = {}): Step =>
  async (x) => {
    const fault = maybeInjectFault(policy, x.req.headers, options.random ?? Math.random);
    if (!fault) return;
    options.onFault?.(fault, x);
    throw fault;
  };
