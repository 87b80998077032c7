// Requests the HTML page started before the app's code arrived: the inline script in
// `web/src/app.html` asks for the weekly review's data (`/`) while the browser is still fetching
// the JavaScript. The first navigation's loads take each answer over (the first GET of the same
// URL); after it, what is left is dropped, so a later load never reads an old answer.
import type { Fetch } from './api';

declare global {
  interface Window {
    /** Set by the inline script of app.html, by URL (path and query, as the app asks). */
    __pairwiseEarly?: Record<string, Promise<Response>>;
  }
}

/** The answers not taken yet; null once the first navigation is over. */
let early: Map<string, Promise<Response>> | null | undefined;

function started(): Map<string, Promise<Response>> | null {
  if (early === undefined) {
    early =
      typeof window !== 'undefined' && window.__pairwiseEarly ? new Map(Object.entries(window.__pairwiseEarly)) : null;
    if (typeof window !== 'undefined') delete window.__pairwiseEarly;
  }
  return early;
}

/** The answer to `url` the HTML page started, taken (only once); undefined when there is none. */
export function takeEarly(url: string): Promise<Response> | undefined {
  const answer = started()?.get(url);
  if (answer) early?.delete(url);
  return answer;
}

/** `fetchFn`, except that the first GET of a URL the page started is answered by that request. */
export function withEarly(fetchFn: Fetch): Fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : null;
    const answer = url !== null && (init?.method ?? 'GET') === 'GET' ? takeEarly(url) : undefined;
    return answer ?? fetchFn(input, init);
  };
}

/** Drops the answers no load took (the first navigation is over: they may be out of date). */
export function forgetEarly(): void {
  started();
  early = null;
}
