import type { InputReader } from './inputs.ts';

/**
 * Every string the runner must mask in the log: the token, each URL whole, and each URL's
 * password alone, as written and decoded (a driver's error message may quote either). Read
 * from the raw inputs, so they can be masked before validation might quote them.
 */
export function secretsOf(read: InputReader): string[] {
  const secrets = new Set<string>();
  const token = read('github-token').trim();
  if (token !== '') secrets.add(token);
  for (const url of [read('server-url').trim(), read('target-url').trim()]) {
    if (url === '') continue;
    secrets.add(url);
    const password = /^[a-z][a-z0-9+.-]*:\/\/[^/@:]*:([^/@]*)@/i.exec(url)?.[1];
    if (password === undefined || password === '') continue;
    secrets.add(password);
    secrets.add(decodeURIComponentSafely(password));
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
