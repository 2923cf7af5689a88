/**
 * Puts text on the clipboard; the text may still be in the making (a Promise, e.g. a summary that
 * waits on data when the button is clicked).
 *
 * - Safari lets a page write to the clipboard only while it handles the click: a writeText called
 *   after awaiting the network is refused (NotAllowedError). Its way, which is also the standard's,
 *   is to call clipboard.write at once with a ClipboardItem whose content is a Promise, settled once
 *   the text is made. Chrome takes it too.
 * - Firefox before 127 (115 ESR) has no ClipboardItem: there the text is awaited, then written with
 *   writeText (Firefox and Chrome accept that shortly after the click).
 * - Neither exists where the page is not a secure context (http:// on a LAN address, not
 *   localhost): navigator.clipboard is undefined there.
 *
 * Rejects when the text could not be copied (or made); the caller then offers it to copy by hand.
 * This is the one module of web/src that may name navigator.clipboard or ClipboardItem
 * (tests/browser-support.test.ts).
 */
export async function copyText(text: string | Promise<string>): Promise<void> {
  const clipboard: Clipboard | undefined = globalThis.navigator?.clipboard;
  if (!clipboard) throw new Error('No clipboard here (the page is not a secure context)');
  const made = Promise.resolve(text);
  if (typeof clipboard.write === 'function' && typeof ClipboardItem === 'function') {
    try {
      // called before any await, so still inside the click
      const blob = made.then((t) => new Blob([t], { type: 'text/plain' }));
      await clipboard.write([new ClipboardItem({ 'text/plain': blob })]);
      return;
    } catch {
      // the text itself failed: that is the error to give
      await made;
      // else a refusal, or a ClipboardItem that takes no Promise: writeText may still do
    }
  }
  if (typeof clipboard.writeText !== 'function') throw new Error('No clipboard.writeText here');
  await clipboard.writeText(await made);
}
