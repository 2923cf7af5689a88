/** Where a tooltip bubble goes, in viewport pixels (position: fixed). Pure, so it is tested. */
export type TipAlign = 'start' | 'center' | 'end';

const GAP = 6;
const MARGIN = 8;

export function placeBubble(
  anchor: { left: number; right: number; top: number; bottom: number; width: number },
  width: number,
  height: number,
  viewport: { width: number; height: number },
  align: TipAlign,
): { left: number; top: number } {
  const wanted =
    align === 'start'
      ? anchor.left - MARGIN
      : align === 'end'
        ? anchor.right + MARGIN - width
        : anchor.left + anchor.width / 2 - width / 2;
  const left = Math.min(Math.max(MARGIN, wanted), Math.max(MARGIN, viewport.width - MARGIN - width));
  // below the button; above it when there is no room below and there is above
  const below = anchor.bottom + GAP;
  const above = anchor.top - GAP - height;
  const top = below + height > viewport.height - MARGIN && above >= MARGIN ? above : below;
  return { left, top };
}
