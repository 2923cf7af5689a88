import { describe, expect, it } from 'vitest';
import { extractFeatures, FeatureBuffer } from '../server/domain/classifier/features.ts';
import { isPastForm, withForm } from '../server/domain/classifier/form.ts';
import { defaultClassifier } from '../server/domain/classifier.ts';
import { FALLBACK_LEAF_ID } from '../server/domain/taxonomy.ts';
import { tokenize } from '../server/domain/text.ts';

const form = (text: string) => withForm(text, tokenize(text));

describe('form markers (the opening words and a past form)', () => {
  it('tell a general question from an event on the customer record, which share their content words', () => {
    expect(form('do you charge for cash withdrawals')).toEqual(['§do_you', 'charg', 'cash', 'withdrawal']);
    expect(form('you charged me for a cash withdrawal')).toEqual([
      '§you_*',
      'charg',
      'cash',
      'withdrawal',
      '§past',
    ]);
  });

  it('skip greetings before the message proper, and mark a statement that opens with a content word', () => {
    expect(form('hi there, is there a fee to top up?')[0]).toBe('§is_there');
    expect(form('Hello team. Can someone send me money from abroad')[0]).toBe('§can_someone');
    expect(form('card not working in the US')[0]).toBe('§-');
    // code-mixed Hindi-English opens with its English reading
    expect(form('mera order kab aayega')[0]).toBe('§my_*');
  });

  it('add nothing to a text with no words to read', () => {
    expect(form('hi there!')).toEqual([]);
    expect(form('')).toEqual([]);
  });

  it('know past forms from words that only end in -ed', () => {
    for (const w of ['charged', 'paid', 'sent', 'withdrew', 'received', 'didnt'])
      expect(isPastForm(w)).toBe(true);
    for (const w of ['need', 'speed', 'card', 'red', 'bed']) expect(isPastForm(w)).toBe(false);
  });

  it('make no character grams and pair only with the word after them', () => {
    const buf = new FeatureBuffer();
    const tokens = ['§do_you', 'charg', '§past'];
    extractFeatures(tokens, { unigramWeight: 1, bigramWeight: 0.7, charWeight: 0.2 }, buf, {
      has: () => true,
    });
    // three unigrams and one bigram (§do_you + charg); no bigram into §past, no grams
    expect(buf.count).toBe(4);
  });
});

describe('the shipped classifier reads the form', () => {
  const clf = defaultClassifier();
  it.each([
    ['is there a fee for cash withdrawals', 'informational'],
    ['is there a charge for topping up by debit card', 'informational'],
    ['why was I charged for my cash withdrawal yesterday', 'personalized'],
  ])('%s → %s', (text, cls) => {
    expect(clf.classify(text).automationClass).toBe(cls);
  });
});

describe('text in a language the classifier does not read', () => {
  const clf = defaultClassifier();
  it.each([
    '¿Dónde está mi pedido? Lo compré hace dos semanas',
    'wo ist meine bestellung, ich warte seit einer woche',
    'je voudrais un remboursement pour ma commande',
    'мой заказ еще не пришел',
    '我的订单在哪里',
    // content words that pass for English through the spelling fallback (Paket, Karte, Passwort)
    'Hallo, meine Bestellung 40392 ist seit einer Woche unterwegs und nichts passiert. Wo ist mein Paket?',
    'Warum wurde meine Karte abgelehnt?',
    'Wie kann ich mein Passwort zurücksetzen?',
    'Hola, quiero cancelar mi pedido por favor',
    'Ik wil mijn abonnement opzeggen',
  ])('is marked unreadable, in the fallback leaf with no confidence: %s', (text) => {
    expect(clf.classify(text)).toEqual({
      taxonomyId: FALLBACK_LEAF_ID,
      automationClass: 'informational',
      confidence: 0,
      unreadable: true,
    });
  });
  it.each([
    'where is my order',
    'withdrawl not recived yet!!',
    'mera order kab aayega',
    'ok',
    'Hi, I was charged twice for my subscription this month.',
    'the AI said my order was sent, but it is not here yet',
    'mujhe refund nahi mila, der ho gayi, wo order cancel kar do',
    'Danke! My Xiaomi Mi phone from the Los Angeles store has a cracked screen',
    'das din hogaye refund nahi aaya',
    'das din hogaye',
    'pas de calais',
    'las cruces store',
    'Las Cruces store hours',
    'El Cajon store',
    'shipping to Pas de Calais',
  ])('is not, for English, Hindi-English or a text too short to tell: %s', (text) => {
    expect(clf.classify(text).unreadable).toBeUndefined();
  });
});
