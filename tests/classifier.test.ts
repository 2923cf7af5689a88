import { describe, expect, it } from 'vitest';
import { defaultClassifier, taxonomyExamples, trainClassifier } from '../server/domain/classifier.ts';
import { classOf, FALLBACK_LEAF_ID, taxonomy } from '../server/domain/taxonomy.ts';
import { AUTOMATION_CLASSES } from '../server/domain/types.ts';

// Hand-written for the tests: not taken from the taxonomy's example phrases.
const CASES: [string, string][] = [
  [
    'helo, my parcel was suposed to come tuesday and its still not here. wheres my order??',
    'orders.where_is_my_order',
  ],
  ['Please cancel the order I made an hour ago, I clicked buy by acident', 'orders.cancel_order'],
  ['i forgot my pasword and the reset link never shows up in my inbox', 'account.password_reset'],
  ['when am I getting my refund? sent the item back 3 weeks ago', 'refunds.refund_status'],
  ['the mug came smashed to bits inside the box', 'shipping.damaged_parcel'],
  ['can I pay with paypal or only by credit card?', 'billing.payment_methods'],
  ['i want to talk to a real person, not a chatbot', 'feedback.talk_to_human'],
  ['I was billed two times for the same thing this month', 'billing.unexpected_charge'],
  ['how do i cancel my subscripton so it doesnt renew', 'subscription.cancel'],
  ['my debit card got stolen at the station, freeze it now', 'payments.card_block'],
  ['i bought 500 gems in the game yesterday but never got them', 'gaming.purchase_missing'],
  ['what time does your phone support open on saturdays', 'other.business_hours'],
  ['please delete my account, I dont want to use it anymore', 'account.delete_account'],
  ['do you ship to norway and how long does it take', 'shipping.delivery_options'],
];

describe('defaultClassifier', () => {
  const clf = defaultClassifier();

  it.each(CASES)('%s → %s', (text, leaf) => {
    expect(clf.classify(text).taxonomyId).toBe(leaf);
  });

  it('gets at least most of the hand-written messages right as a whole', () => {
    const correct = CASES.filter(([t, leaf]) => clf.classify(t).taxonomyId === leaf).length;
    expect(correct / CASES.length).toBeGreaterThanOrEqual(0.9);
  });

  it('takes the automation class from the leaf and keeps confidence in [0, 1]', () => {
    for (const [text] of CASES) {
      const r = clf.classify(text);
      expect(r.automationClass).toBe(classOf(r.taxonomyId));
      expect(AUTOMATION_CLASSES).toContain(r.automationClass);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('falls back with low confidence on empty, stop-word-only or gibberish text', () => {
    for (const text of ['', '   ', '!!!', '12345 #9981', 'hi', 'qzxv wptk jjjr']) {
      const r = clf.classify(text);
      expect(r.taxonomyId).toBe(FALLBACK_LEAF_ID);
      expect(r.confidence).toBeLessThan(0.2);
    }
  });

  it('is confident on a clear request and less so on a vague one', () => {
    const clear = clf.classify('where is my refund');
    const vague = clf.classify('something about my thing');
    expect(clear.confidence).toBeGreaterThan(0.5);
    expect(vague.confidence).toBeLessThan(clear.confidence);
  });

  it('is deterministic, within and across trainings', () => {
    const text = 'my card was charged but the order never went through';
    const a = clf.classify(text);
    expect(clf.classify(text)).toEqual(a);
    expect(trainClassifier(taxonomyExamples()).classify(text)).toEqual(a);
  });

  it('is memoised', () => {
    expect(defaultClassifier()).toBe(clf);
  });
});

describe('taxonomyExamples', () => {
  it('covers every leaf with its example phrases', () => {
    const examples = taxonomyExamples();
    const ids = new Set(examples.map((e) => e.taxonomyId));
    for (const leaf of taxonomy.leaves) {
      expect(ids.has(leaf.id)).toBe(true);
      expect(leaf.examples.length).toBeGreaterThanOrEqual(12);
      expect(leaf.examples.length).toBeLessThanOrEqual(20);
      expect(leaf.topicAliases.length).toBeGreaterThanOrEqual(2);
    }
    expect(examples.length).toBeGreaterThan(taxonomy.leaves.length * 12);
  });
});

describe('trainClassifier', () => {
  it('learns custom examples', () => {
    const clf = trainClassifier([
      { text: 'the espresso machine leaks water', taxonomyId: 'shipping.damaged_parcel' },
      { text: 'water is leaking from the coffee machine', taxonomyId: 'shipping.damaged_parcel' },
      { text: 'what beans do you recommend for espresso', taxonomyId: 'howto.product_info' },
      { text: 'which coffee beans are best for a latte', taxonomyId: 'howto.product_info' },
      { text: 'hello', taxonomyId: FALLBACK_LEAF_ID },
    ]);
    expect(clf.classify('my machine is leaking everywhere').taxonomyId).toBe('shipping.damaged_parcel');
    expect(clf.classify('recommend some beans for my latte').taxonomyId).toBe('howto.product_info');
    const r = clf.classify('my machine is leaking everywhere');
    expect(r.automationClass).toBe('human');
  });

  it('is typo-tolerant through character n-grams', () => {
    const clf = trainClassifier([
      { text: 'cancel my subscription', taxonomyId: 'subscription.cancel' },
      { text: 'upgrade my plan', taxonomyId: 'subscription.change_plan' },
    ]);
    expect(clf.classify('cancellling subscriptoin').taxonomyId).toBe('subscription.cancel');
  });

  it('returns the fallback when trained on nothing', () => {
    const r = trainClassifier([]).classify('where is my order');
    expect(r.taxonomyId).toBe(FALLBACK_LEAF_ID);
    expect(r.confidence).toBe(0);
  });

  it('trains on the taxonomy quickly', () => {
    const examples = taxonomyExamples();
    trainClassifier(examples);
    const t0 = performance.now();
    trainClassifier(examples);
    // Generous bound for loaded CI machines; measured ~30–50 ms.
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
