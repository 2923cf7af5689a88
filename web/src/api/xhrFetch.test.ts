import { afterEach, describe, expect, it, vi } from 'vitest';
import { type UploadTick, xhrFetch } from './xhrFetch.ts';

/** An XMLHttpRequest stand-in whose network events the test fires by hand. */
class FakeXhr {
  static DONE = 4;
  static HEADERS_RECEIVED = 2;
  static last: FakeXhr;
  readyState = 0;
  status = 0;
  statusText = '';
  responseText = '';
  sent: unknown;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  aborted = false;
  upload: { onprogress?: (e: unknown) => void; onload?: (e: unknown) => void } = {};
  onreadystatechange?: () => void;
  onprogress?: () => void;
  onload?: () => void;
  onerror?: () => void;
  onabort?: () => void;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.sent = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  getAllResponseHeaders() {
    return 'content-type: application/x-ndjson\r\nx-extra: 1\r\n';
  }
  headersIn(status: number) {
    this.status = status;
    this.readyState = 2;
    this.onreadystatechange?.();
  }
  receive(text: string) {
    this.responseText += text;
    this.readyState = 3;
    this.onprogress?.();
  }
  finish() {
    this.readyState = 4;
    this.onload?.();
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('xhrFetch: fetch over XMLHttpRequest for the upload', () => {
  it('sends method, headers and body, reports the upload, and streams the answer as it arrives', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const ticks: UploadTick[] = [];
    const pending = xhrFetch((t) => ticks.push(t))('/api/estimate?vertical=x', {
      method: 'POST',
      headers: { 'x-file-name': 'a.csv' },
      body: 'file bytes',
    });
    const xhr = FakeXhr.last;
    expect([xhr.method, xhr.url, xhr.headers['x-file-name'], xhr.sent]).toEqual([
      'POST',
      '/api/estimate?vertical=x',
      'a.csv',
      'file bytes',
    ]);
    xhr.upload.onprogress?.({ loaded: 4, total: 10, lengthComputable: true });
    xhr.upload.onload?.({ loaded: 10, total: 10, lengthComputable: true });
    expect(ticks).toEqual([
      { loaded: 4, total: 10, done: false },
      { loaded: 10, total: 10, done: true },
    ]);
    xhr.headersIn(200);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    xhr.receive('{"type":"progress"}\n');
    expect(decoder.decode((await reader.read()).value)).toBe('{"type":"progress"}\n');
    xhr.receive('{"type":"result"}\n');
    xhr.finish();
    expect(decoder.decode((await reader.read()).value)).toBe('{"type":"result"}\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('rejects like fetch before the headers (TypeError, AbortError), and errors the body after them', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const offline = xhrFetch(() => {})('/x', { method: 'POST' });
    FakeXhr.last.onerror?.();
    await expect(offline).rejects.toBeInstanceOf(TypeError);

    const ctrl = new AbortController();
    const aborted = xhrFetch(() => {})('/x', { method: 'POST', signal: ctrl.signal });
    ctrl.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(FakeXhr.last.aborted).toBe(true);

    const cut = xhrFetch(() => {})('/x', { method: 'POST' });
    FakeXhr.last.headersIn(200);
    const reader = (await cut).body!.getReader();
    FakeXhr.last.onerror?.();
    await expect(reader.read()).rejects.toBeInstanceOf(TypeError);
  });
});
