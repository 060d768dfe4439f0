// The reminder scenarios' helpers: plan a committee « demain » through the dialog with its J-1
// reminder a minute ahead (the bot restarted with SPASER_REMINDER_TIME), and read the bot's log.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import { localTime, frenchTime, sleep } from './text.mjs';

/** The first reply of a dialog that reads a date is slow after a start: the French date recognizer is built then. */
export const FIRST_DATE_TURN_MS = 90_000;

/** A whole second `delay` ms from now. */
export function secondsAhead(delay) {
  return new Date(Math.ceil((Date.now() + delay) / 1000) * 1000);
}

/** The reminder card of a committee meeting « demain » at `hour` h (its title, what to do, then the date fact). */
export function reminderOf(committee, hour) {
  return new RegExp(`^Rappel : ${committee} du SPASER demain\n[\\s\\S]*?Date :\n.* à ${hour} h 00`);
}

/** The lead's copy of that reminder (reader 7, B13: titled as a copy; reader 10, A8: the members' very text;
 * reader 11, A4: quoted, after a line that says so; reader 14: that line says how many other members received it). */
export const MEMBERS_REACHED = '(?:Les \\d+ autres membres ont reçu ce rappel|Aucun des \\d+ autres membres n’a reçu ce rappel'
  + '|Ce rappel a été reçu par \\d+ des \\d+ autres membres ; \\d+ ne l’(?:a|ont) pas reçu'
  + '|L’autre membre (?:n’)?a (?:pas )?reçu ce rappel|Ce rappel n’a été envoyé qu’à vous)\\. Le voici :';
export function leadCopyOf(committee, hour) {
  return new RegExp(`^Rappel envoyé aux membres du ${committee} \\(votre copie\\)\n${MEMBERS_REACHED}\nRappel : ${committee} du SPASER demain\nVous êtes membre de ce comité[\\s\\S]*?Date :\n.* à ${hour} h 00`);
}

/** The lead plans a committee « demain » at `hour` h through the dialog; returns the confirmation text. */
export async function planTomorrow(chat, committee, hour, place) {
  await chat.say(`planifier un ${committee} demain à ${hour}h`, /Où se tiendra-t-il \?/, { timeout: FIRST_DATE_TURN_MS });
  await chat.say(place, /Quel est l’ordre du jour \?/);
  await chat.say('Bilan annuel du SPASER', /Voulez-vous que je le planifie et que je programme les rappels \?/);
  const replies = await chat.say('oui', /C’est planifié/);
  return replies.find((text) => text.startsWith('C’est planifié'));
}

/**
 * `kill -9` of the bot, a start with member reminders at J-1 only at `margin` ms from now, then
 * the lead plans the committee « demain ». On a loaded machine the start and the first date turn
 * can take longer than the margin: the meeting is then planned without its reminder (too late),
 * and it is tried again, at the next hour, with twice the margin.
 */
export async function planWithReminder(bot, chat, committee, label, firstHour, place, margin) {
  for (let attempt = 0; attempt < 3; attempt++, margin *= 2) {
    const due = secondsAhead(margin);
    await bot.kill9();
    await bot.start({ SPASER_REMINDER_TIME: localTime(due), SPASER_MEMBER_REMINDER_DAYS: '1' });
    const hour = firstHour + attempt;
    const planned = await planTomorrow(chat, committee, hour, place);
    assert.match(planned, new RegExp(`^C’est planifié : ${label} le .* à ${hour} h 00\\.`));
    // Reader 14: the time, never « dans une minute, à 10 h 58 » (wrong once read later).
    const programmed = planned.includes(`Rappel aux membres : aujourd’hui à ${frenchTime(due)}.`)
      || (planned.includes(`Rappel aux membres : la veille (`) && planned.includes(`à ${frenchTime(due)}).`));
    if (programmed && Date.now() < due.getTime() - 3_000) return { hour, due, attempts: attempt + 1 };
  }
  assert.fail(`${committee}: the bot never answered early enough to plan a reminder (machine too loaded?)`);
}

/** Waits until bot.log has a line matching `pattern`. */
export async function waitForLogLine(bot, pattern, timeout) {
  const end = Date.now() + timeout;
  while (!pattern.test(await readFile(bot.logFile, 'utf8'))) {
    assert.ok(Date.now() < end, `no line matching ${pattern} in bot.log`);
    await sleep(500);
  }
}

/**
 * When the bot first logged, at or after `due`, that it queued a members' reminder the day before
 * (`Reminder meeting-1:members:J-1: 5 message(s) queued`): the replies do not show meeting numbers.
 */
export async function reminderQueuedAt(bot, due) {
  const log = await readFile(bot.logFile, 'utf8');
  const at = (line) => new Date(line.slice(0, 23).replace(' ', 'T').replace(',', '.'));
  const line = log.split('\n').find((l) => /Reminder meeting-\d+:members:J-1: .*queued/.test(l) && at(l) >= due - 1_000);
  assert.ok(line, `no members' J-1 reminder queued in bot.log after ${due.toISOString()}`);
  return at(line);
}
