import { passwordCandidates } from '../core/parts/database/redaction.ts';
import type { InputReader } from './inputs.ts';

/**
 * Every string the runner must mask in the log: the token, each URL whole (each line of
 * `targets` too), and each URL's password alone, as written and decoded (a driver's error
 * message may quote either). Read from the raw inputs, so they can be masked before
 * validation might quote them; a malformed URL's password is masked in every reading of it
 * (see passwordCandidates).
 */
export function secretsOf(read: InputReader): string[] {
  const secrets = new Set<string>();
  const token = read('github-token').trim();
  if (token !== '') secrets.add(token);
  const targets = read('targets')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'));
  for (const url of [read('server-url'), read('target-url'), ...targets].map((url) => url.trim())) {
    if (url === '') continue;
    secrets.add(url);
    for (const password of passwordCandidates(url)) {
      secrets.add(password);
      secrets.add(decodeURIComponentSafely(password));
    }
  }
  return [...secrets];
}

function decodeURIComponentSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
