import { describe, expect, test } from 'vitest';
import { suggestMigrationName } from '../../src/core/parts/migrations/suggest-name.ts';

const now = new Date('2025-06-07T08:09:10.123Z');

describe('suggestMigrationName: a name that sorts after the newest merged migration', () => {
  test('a number prefix becomes the next number, with the same width', () => {
    expect(suggestMigrationName('0003_add_email', '0005_create_tags', now)).toBe('0006_add_email');
    expect(suggestMigrationName('003-add-email', '041-create-tags', now)).toBe('042-add-email');
  });

  test('when the counter has run out of its width, the newest merged name becomes a prefix', () => {
    // "100_add_email" would sort before "99_create_tags".
    expect(suggestMigrationName('98_add_email', '99_create_tags', now)).toBe('99_create_tags_98_add_email');
  });

  test('a timestamp prefix becomes the current time in the same shape', () => {
    expect(suggestMigrationName('2024_01_05_1200_add_email', '2024_03_05_1100_add_username', now)).toBe(
      '2025_06_07_0809_add_email',
    );
    expect(suggestMigrationName('20240105120000_add_email', '20240305110000_add_username', now)).toBe(
      '20250607080910_add_email',
    );
    expect(suggestMigrationName('20230309T045948368Z-init', '20240310T101500000Z-posts', now)).toBe(
      '20250607T080910123Z-init',
    );
  });

  test('when the newest merged timestamp is later than the clock, the one just after it', () => {
    expect(suggestMigrationName('20240105120000_add_email', '20990101000000_future', now)).toBe(
      '20990101000001_add_email',
    );
  });

  test('a name without a prefix takes the style of the merged history', () => {
    expect(suggestMigrationName('add_email', '0005_create_tags', now)).toBe('0006_add_email');
    expect(suggestMigrationName('add_email', '2024_03_05_1100_add_username', now)).toBe(
      '2025_06_07_0809_add_email',
    );
  });

  test('without any numbering, the newest merged name becomes a prefix', () => {
    expect(suggestMigrationName('add_email', 'create_users', now)).toBe('create_users_add_email');
  });
});
