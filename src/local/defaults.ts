import { DEFAULT_COLLECTOR_PORT } from '../collector/port';
import { DEFAULT_SERVICE_PORT } from '../service/config';

/** The local stack's ports unless the environment says otherwise. */
export const LOCAL_PORTS = {
  service: DEFAULT_SERVICE_PORT,
  /** The function's API-Gateway-style endpoint (the service's LAMBDA_URL locally). */
  function: 3001,
  collector: DEFAULT_COLLECTOR_PORT,
} as const;

/** The local function endpoint's URL, the service's LAMBDA_URL in `npm start`. */
export function localFunctionUrl(port: number): string {
  return `http://127.0.0.1:${port}/`;
}
