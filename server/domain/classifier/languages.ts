/**
 * Function words of the European languages customers most often write in besides English: German,
 * Dutch, Spanish, French, Italian, Portuguese. The model reads none of them, but their content
 * words often pass for English through the spelling fallback ("Paket" → packet, "Karte" → cart), so
 * a German request could count as read and get a confident-looking guess. These words are never
 * counted as read. Left out: words that are also English ("die", "was", "also", "bin", "hat",
 * "con", "per", "est", "comment", "dove", "van", "de", "la", "me", "no", "mon", "mit", "non", "ai",
 * "os", "uno", "mi", "al"), words of place names and English phrases ("el", "las", "les", "des",
 * "pas", "et", "pour", "que", "para", "mis": "El Cajon", "Las Cruces", "Pas de Calais", 9am ET),
 * and Hindi-English ones the model reads ("mein", "wo", "ne", "le", "der" as in "der ho gayi",
 * "ho", "das" ten).
 */
const WORDS = [
  // German
  'und ist nicht ich meine meinen meiner wurde wurden habe haben kann können bitte danke eine einer einen seit noch auch warum wann wie für zu auf aber kein keine nichts sie wir ihr bei nach vom zum zur über schon möchte',
  // Dutch
  'het een niet mijn ik hoe waar wanneer waarom graag bedankt nog geen kunt jullie wij hebben heb',
  // Spanish
  'por está estoy quiero puedo hola gracias cuándo dónde cómo una pero tengo',
  // French
  'je avec une bonjour merci voudrais puis où quand pourquoi suis votre vous mes',
  // Italian
  'il gli che è mio vorrei ciao grazie sono della perché',
  // Portuguese
  'meu minha não quero olá obrigado obrigada onde porque tenho',
].join(' ');

const FOREIGN_FUNCTION_WORDS: ReadonlySet<string> = new Set(WORDS.split(' '));

export function isForeignFunctionWord(lowerCaseWord: string): boolean {
  return FOREIGN_FUNCTION_WORDS.has(lowerCaseWord);
}
