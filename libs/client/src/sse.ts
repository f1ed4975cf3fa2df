// A minimal EventSource over fetch (Node 20 has none): subscribes to the API's live.* procedures
// over real HTTP the way the browser's httpSubscriptionLink does (tests, benches, scripts).
import superjson from 'superjson';
import type { SuperJSONResult } from 'superjson';

interface SseMessage {
  id: string | null;
  /** tRPC's event kind: undefined for data, 'connected', 'ping', 'serialized-error', 'return'. */
  event: string | null;
  data: unknown;
}

export interface SseSubscription {
  /** Resolves the next message of a given kind (data by default), skipping pings. */
  next(timeoutMs?: number): Promise<SseMessage>;
  /** Every message received so far, pings included. */
  received: SseMessage[];
  status: number;
  close(): void;
}

/** Subscribes to `path` (e.g. live.run) with `input`; `lastEventId` goes in the header, as EventSource sends it. */
export async function subscribeSse(
  baseUrl: string,
  path: string,
  input: unknown,
  opts: { headers?: Record<string, string>; lastEventId?: string } = {},
): Promise<SseSubscription> {
  const abort = new AbortController();
  const url = `${baseUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...(opts.lastEventId ? { 'last-event-id': opts.lastEventId } : {}), ...opts.headers },
    signal: abort.signal,
  });
  const received: SseMessage[] = [];
  const waiting: Array<() => void> = [];
  let consumed = 0;
  let ended = false;
  let endError: Error | null = null;
  void (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let text = '';
    const reader = res.body.getReader();
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        text += decoder.decode(chunk.value, { stream: true });
        let cut: number;
        while ((cut = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, cut);
          text = text.slice(cut + 2);
          let id: string | null = null;
          let event: string | null = null;
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('id:')) id = line.slice(3).trim();
            else if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (data.length === 0 && event === null) continue;
          const raw: unknown = data.length ? JSON.parse(data.join('\n')) : null;
          const value = raw && typeof raw === 'object' && 'json' in raw ? superjson.deserialize(raw as SuperJSONResult) : raw;
          received.push({ id, event, data: value });
          waiting.splice(0).forEach((w) => w());
        }
      }
    } catch (err) {
      // close() aborts the read; anything else (a reset, a bad message) is why the stream ended.
      if (!abort.signal.aborted) endError = err as Error;
    } finally {
      ended = true;
      waiting.splice(0).forEach((w) => w());
    }
  })();
  return {
    received,
    status: res.status,
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (consumed < received.length) {
          const m = received[consumed++] as SseMessage;
          if (m.event !== 'ping' && m.event !== 'connected') return m;
        }
        if (ended) {
          const cause = endError as { message: string; cause?: { code?: string } } | null;
          throw new Error(`${path}: stream ended${cause ? ` (${cause.message}${cause.cause?.code ? `, ${cause.cause.code}` : ''})` : ' by the server'}`);
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${path}: no event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiting.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close: () => abort.abort(),
  };
}
