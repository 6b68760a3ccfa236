import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/core/model/errors.ts';
import { mirroredImage, parseImageMirror } from '../../src/core/parts/throwaway/image-mirror.ts';

describe('MIGRATION_GATE_IMAGE_MIRROR', () => {
  test('runs the replacement of an official image, and any other image as named', () => {
    const mirror = parseImageMirror(' mysql:9.7=local/mysql:9.7 , postgres:17=registry.internal/postgres:17');
    expect(mirroredImage('mysql:9.7', mirror)).toBe('local/mysql:9.7');
    expect(mirroredImage('postgres:17', mirror)).toBe('registry.internal/postgres:17');
    expect(mirroredImage('postgres:18', mirror)).toBe('postgres:18');
    expect(parseImageMirror(undefined).size).toBe(0);
  });

  test('a pair without a replacement is a usage error naming the variable', () => {
    expect(() => parseImageMirror('mysql:9.7')).toThrow(UsageError);
    expect(() => parseImageMirror('mysql:9.7=')).toThrow(
      'MIGRATION_GATE_IMAGE_MIRROR: "mysql:9.7=" is not image=replacement',
    );
  });
});
