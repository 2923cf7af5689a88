/**
 * The classifier's spelling fallback (server/domain/classifier/spelling.ts): an unknown word one
 * slip away from a frequent training word is read as that word; real words and short words are
 * left alone.
 */
import { describe, expect, it } from 'vitest';
import { SpellingIndex, spellingWords, withinOneEdit } from '../server/domain/classifier/spelling.ts';
import { defaultClassifier } from '../server/domain/classifier.ts';

describe('withinOneEdit', () => {
  it('accepts one insertion, deletion, substitution or swap of neighbours, and nothing more', () => {
    for (const [a, b] of [
      ['order', 'oder'],
      ['order', 'orderr'],
      ['refund', 'refunf'],
      ['protein', 'protien'],
      ['cancel', 'cancel'],
    ])
      expect(withinOneEdit(a!, b!), `${a} ~ ${b}`).toBe(true);
    for (const [a, b] of [
      ['order', 'odrr'],
      ['refund', 'rfeudn'],
      ['cancel', 'cancellation'],
      ['abcd', 'abdy'],
    ])
      expect(withinOneEdit(a!, b!), `${a} !~ ${b}`).toBe(false);
  });
});

describe('SpellingIndex', () => {
  const real = ['order', 'refund', 'cancel', 'power', 'subscription', 'ordered', 'powder'];
  // the training words, most frequent first; "wprk" is a slip the training text itself has
  const index = new SpellingIndex(
    ['order', 'refund', 'wprk', 'cancel', 'power', 'subscription', 'ordered'],
    real,
  );

  it('reads a slip as the word it is one edit from', () => {
    expect(index.correct('oder')).toBe('order');
    expect(index.correct('refnud')).toBe('refund');
    expect(index.correct('cancle')).toBe('cancel');
    expect(index.correct('subscrption')).toBe('subscription');
    expect(index.correct('ordr')).toBe('order');
  });

  it('prefers the more frequent word when two are one edit away', () => {
    // "ordere" is one edit from both; "order" comes first (more frequent)
    expect(index.correct('ordere')).toBe('order');
  });

  it('leaves real words, known words, short words and far words alone', () => {
    expect(index.correct('powder')).toBeUndefined();
    expect(index.correct('order')).toBeUndefined();
    expect(index.correct('odr')).toBeUndefined();
    expect(index.correct('xyzzy')).toBeUndefined();
    expect(index.correct('rfeudn')).toBeUndefined();
    // a slip is only ever read as a real word, never as one of the training text's own slips
    expect(index.correct('wptk')).toBeUndefined();
  });

  it('lists training words by the number of texts they are in, then alphabetically, from 4 letters', () => {
    const texts = [
      ['order', 'late', 'my'],
      ['order', 'refund'],
      ['refund', 'order'],
      ['late', 'refund'],
    ];
    expect(spellingWords(texts, 2)).toEqual(['order', 'refund', 'late']);
    expect(spellingWords(texts, 3)).toEqual(['order', 'refund']);
  });
});

describe('the shipped model with its spelling fallback', () => {
  it('reads misspelled requests as their spelled-right twins', () => {
    const clf = defaultClassifier();
    for (const [slipped, spelled] of [
      ['i want to cancle my subscrption', 'i want to cancel my subscription'],
      ['is this protien shake suitable for vegans', 'is this protein shake suitable for vegans'],
      ['where is my parcle', 'where is my parcel'],
    ])
      expect(clf.classify(slipped!).taxonomyId, slipped).toBe(clf.classify(spelled!).taxonomyId);
  });
});
