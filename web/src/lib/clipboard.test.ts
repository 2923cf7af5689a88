import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyText } from './clipboard.ts';

/** A ClipboardItem that keeps what it was given (Node has none). */
class FakeClipboardItem {
  constructor(readonly items: Record<string, string | Blob | PromiseLike<string | Blob>>) {}
}

/** The text of the one text/plain item written, once its Promise has settled. */
async function writtenText(write: ReturnType<typeof vi.fn>): Promise<string> {
  const [items] = write.mock.calls[0] as [FakeClipboardItem[]];
  const blob = await items[0]?.items['text/plain'];
  return blob instanceof Blob ? blob.text() : String(blob);
}

function deferred() {
  let resolve: (text: string) => void = () => {};
  const promise = new Promise<string>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

afterEach(() => vi.unstubAllGlobals());

describe('copyText', () => {
  it('writes a ClipboardItem at once, before the text is made (Safari needs the click), with the text', async () => {
    const write = vi.fn(async () => {});
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { clipboard: { write, writeText } });
    vi.stubGlobal('ClipboardItem', FakeClipboardItem);
    const text = deferred();
    const copied = copyText(text.promise);
    expect(write).toHaveBeenCalledTimes(1);
    text.resolve('# Summary');
    await copied;
    expect(await writtenText(write)).toBe('# Summary');
    expect(writeText).not.toHaveBeenCalled();
  });

  it('without ClipboardItem (Firefox 115 ESR), waits for the text and uses writeText', async () => {
    const writeText = vi.fn(async (_: string) => {});
    vi.stubGlobal('navigator', { clipboard: { write: vi.fn(), writeText } });
    vi.stubGlobal('ClipboardItem', undefined);
    await copyText(Promise.resolve('# Summary'));
    expect(writeText).toHaveBeenCalledWith('# Summary');
  });

  it('when the ClipboardItem write is refused, tries writeText', async () => {
    const writeText = vi.fn(async (_: string) => {});
    const write = vi.fn(async () => {
      throw new DOMException('refused', 'NotAllowedError');
    });
    vi.stubGlobal('navigator', { clipboard: { write, writeText } });
    vi.stubGlobal('ClipboardItem', FakeClipboardItem);
    await copyText('plain');
    expect(writeText).toHaveBeenCalledWith('plain');
  });

  it('rejects where there is no clipboard (http:// on a LAN address is not a secure context)', async () => {
    vi.stubGlobal('navigator', {});
    await expect(copyText('x')).rejects.toThrow(/secure context/);
    vi.stubGlobal('navigator', undefined);
    await expect(copyText('x')).rejects.toThrow(/secure context/);
  });

  it('rejects when every way is refused', async () => {
    const refused = async () => {
      throw new DOMException('refused', 'NotAllowedError');
    };
    vi.stubGlobal('navigator', { clipboard: { write: vi.fn(refused), writeText: vi.fn(refused) } });
    vi.stubGlobal('ClipboardItem', FakeClipboardItem);
    await expect(copyText('x')).rejects.toThrow('refused');
  });

  it("rejects with the text's own error when it cannot be made, and writes nothing by hand", async () => {
    const writeText = vi.fn(async () => {});
    const write = vi.fn(async (items: FakeClipboardItem[]) => {
      await items[0]?.items['text/plain'];
    });
    vi.stubGlobal('navigator', { clipboard: { write, writeText } });
    vi.stubGlobal('ClipboardItem', FakeClipboardItem);
    await expect(copyText(Promise.reject(new Error('no data')))).rejects.toThrow('no data');
    expect(writeText).not.toHaveBeenCalled();
  });
});
