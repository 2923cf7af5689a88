/**
 * A `fetch` made of XMLHttpRequest, handed to the typed client (`hc`'s `fetch` option) for the one
 * request that needs what fetch cannot give: the estimate upload. Chromium sends the whole body of
 * an HTTP/1.1 request before it reads any of the response, and fetch reports no upload progress
 * (streaming request bodies need HTTP/2), so with fetch the server's progress lines would all arrive
 * at the very end. XHR reports the bytes sent (`onUpload`) while the server imports them, and its
 * response text is handed on as the Response's body stream as it arrives.
 *
 * The Response is resolved when the headers arrive; a lost connection or an abort (`init.signal`)
 * before that rejects as fetch does (TypeError, AbortError), after it errors the body stream.
 */

export interface UploadTick {
  /** bytes of the request body sent so far */
  loaded: number;
  /** its size, when known */
  total: number | null;
  /** the whole body has been sent */
  done: boolean;
}

function responseHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    try {
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    } catch {
      // a header the Headers class refuses (a forbidden name) is not one the client reads
    }
  }
  return headers;
}

const abortError = () => new DOMException('The request was aborted', 'AbortError');

export function xhrFetch(onUpload: (tick: UploadTick) => void): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const { signal } = init;
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const xhr = new XMLHttpRequest();
      const encoder = new TextEncoder();
      let body: ReadableStreamDefaultController<Uint8Array> | null = null;
      let read = 0;
      let headersIn = false;
      let ended = false;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          body = controller;
        },
        cancel() {
          ended = true;
          xhr.abort();
        },
      });
      // the response text grows; what is new since the last call goes down the stream
      const pushNew = () => {
        if (ended) return;
        const text = xhr.responseText;
        if (text.length > read) {
          body?.enqueue(encoder.encode(text.slice(read)));
          read = text.length;
        }
      };
      const fail = (error: Error) => {
        if (!headersIn) reject(error);
        else if (!ended) body?.error(error);
        ended = true;
      };
      const onAbort = () => xhr.abort();

      xhr.open(init.method ?? 'GET', url);
      new Headers(init.headers).forEach((value, name) => {
        xhr.setRequestHeader(name, value);
      });
      xhr.upload.onprogress = (e) =>
        onUpload({ loaded: e.loaded, total: e.lengthComputable ? e.total : null, done: false });
      xhr.upload.onload = (e) =>
        onUpload({ loaded: e.loaded, total: e.lengthComputable ? e.total : null, done: true });
      xhr.onreadystatechange = () => {
        if (xhr.readyState !== XMLHttpRequest.HEADERS_RECEIVED || headersIn) return;
        headersIn = true;
        resolve(
          new Response(stream, {
            status: xhr.status,
            statusText: xhr.statusText,
            headers: responseHeaders(xhr.getAllResponseHeaders()),
          }),
        );
      };
      xhr.onprogress = pushNew;
      xhr.onload = () => {
        signal?.removeEventListener('abort', onAbort);
        pushNew();
        if (!ended) body?.close();
        ended = true;
      };
      xhr.onerror = () => fail(new TypeError('Failed to fetch'));
      xhr.onabort = () => fail(abortError());
      signal?.addEventListener('abort', onAbort, { once: true });
      xhr.send((init.body ?? null) as XMLHttpRequestBodyInit | null);
    });
}
