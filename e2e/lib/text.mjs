// Text helpers of the Playground scenarios: how the bot writes times, what must never be shown
// (English, « (s) », straight apostrophes), and the summary card read back as counts and lines.

const TIMEZONE = process.env.SPASER_TIMEZONE || 'Europe/Paris';

export const ENGLISH = /\b(the|please|error|sorry|submit|welcome|hello|click|failed|unknown|invalid)\b/i;
/** What a French reader would circle in the bot's own words (quoted user text « … » left out). */
export const UNTYPESET = /\w\(s\)|[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ]/;
export const ownWords = (text) => text.replace(/«[^»]*»/g, '« »');

/** `07:12:05`: a wall-clock time in the bot's time zone (what SPASER_REMINDER_TIME takes). */
export function localTime(date) {
  return new Intl.DateTimeFormat('fr-FR', { timeZone: TIMEZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(date);
}

/** `7 h 12`: how the bot writes that time (scheduler/clock.py format_datetime_fr). */
export function frenchTime(date) {
  const [hour, minute] = localTime(date).split(':');
  return `${Number(hour)} h ${minute}`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
export const spaces = (text) => text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
/** Non-breaking spaces (before « : ; % », inside numbers) read as plain ones, lines kept. */
export const nbsp = (text) => text.replace(/[\u00a0\u202f]/g, ' ');

/** `{atteint: 1, 'en bonne voie': 13, …}` from the counters at the top of the summary card (« non conforme à la
 * loi » is shown only when some indicator is). */
export function cardCounts(text) {
  // The labels agree with their count: « 1 atteint », « 2 atteints », « 3 non renseignés », « 2 non conformes » (the
  // counter leaves « à la loi » to the sentence under it: reader 11, C29).
  const labels = {
    atteint: 'atteints?', 'en bonne voie': 'en bonne voie', 'en retard': 'en retard',
    'non conforme': 'non conformes?', 'non renseigné': 'non renseignés?', 'sans cible': 'sans cible',
  };
  return Object.fromEntries(Object.entries(labels).map(([label, pattern]) => [label, Number(text.match(new RegExp(`(\\d+)\\n${pattern}\\n`))?.[1])]));
}

/** Per indicator code, the latest value (without the « ; … » notes) and the status, from the card. */
export function cardLines(text) {
  const lines = {};
  // A line without a trend (« Non renseigné », a first value) has no « · ».
  // The card's legal badge starts with ⚠ (reader 9), « Atteint » with ✓ (reader 11), the report's are coloured:
  // compared without them.
  for (const [, code, line, status] of text.matchAll(/^(IND-\d+) .*\n(.+)\n(?:.+\n){0,2}?(?:[⚠✓] )?(Atteint|En bonne voie|En retard|Non conforme|Dernière valeur connue non conforme|Non renseigné|Sans cible)$/gm)) {
    lines[code] = { value: spaces(line.split(' · ')[0]).split(' ; ')[0], status: spaces(status) };
  }
  return lines;
}
