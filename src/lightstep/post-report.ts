import { postBody, postTargetUrl, type KeptAliveSockets, type PostBody, type PostResult, type PostTarget } from '../common/http-post';

export type { PostResult };

/** Where reports go: the collector URL split into what http.request needs. */
export type ReportTarget = PostTarget;

export const targetUrl = postTargetUrl;

/** One POST of a serialized report, with the headers the stock transport sends (src/common/http-post). */
export function postReport(
  target: ReportTarget,
  sockets: KeptAliveSockets,
  token: string,
  payload: PostBody,
  timeoutMs: number,
  callback: (result: PostResult) => void,
): void {
  const headers = {
    'User-Agent': 'LightStep-JavaScript-Node',
    'LightStep-Access-Token': token,
    Accept: 'application/octet-stream',
    'Content-Type': 'application/octet-stream',
  };
  postBody(target, sockets, headers, payload, timeoutMs, callback);
}
