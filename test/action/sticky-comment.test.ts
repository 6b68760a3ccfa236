import { getOctokit } from '@actions/github';
import { describe, expect, test } from 'vitest';
import { stickyCommentBody, stickyMarker, upsertStickyComment } from '../../src/action/sticky-comment.ts';
import { checkResult, migration } from './check-result.ts';
import { startFakeGitHub } from './fake-github.ts';

describe('the sticky pull request comment', () => {
  test('its marker is a hidden first line keyed by directory and target', () => {
    expect(stickyMarker({ directory: 'services/billing/db', target: 'mysql' })).toBe(
      '<!-- migration-gate:sticky dir=services/billing/db target=mysql -->',
    );
    // Nothing in a path can end the HTML comment early.
    expect(stickyMarker({ directory: 'odd --> name', target: 'postgres' })).toBe(
      '<!-- migration-gate:sticky dir=odd%20--%3E%20name target=postgres -->',
    );
  });

  test("never longer than GitHub's 65,536 characters: a huge plan is shortened and points to the job summary", () => {
    const statement = { sql: `insert into audit values (${'1, '.repeat(200)}1)`, durationMs: 1 };
    const huge = checkResult(
      Array.from({ length: 300 }, (_, index) =>
        migration(`${String(index).padStart(4, '0')}_backfill`, {
          statements: { up: Array.from({ length: 50 }, () => statement), down: [statement] },
        }),
      ),
    );
    const marker = stickyMarker({ directory: 'db', target: 'postgres' });
    const body = stickyCommentBody(huge, {
      marker,
      title: 'migration-gate · db',
      fullReportHint: 'See the job summary.',
      failOn: 'error',
    });

    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith(`${marker}\n`)).toBe(true);
    expect(body).toContain('See the job summary.');
    expect(body).toContain('0299_backfill');
  });

  test("another directory's or target's comment is left alone: each gets its own", async () => {
    await using github = await startFakeGitHub();
    const octokit = getOctokit('token', { baseUrl: github.url });
    const place = { octokit, owner: 'acme', repo: 'shop', issueNumber: 3, create: true };
    const api = stickyMarker({ directory: 'api/db', target: 'postgres' });
    const web = stickyMarker({ directory: 'web/db', target: 'postgres' });

    expect((await upsertStickyComment({ ...place, marker: api, body: `${api}\nfirst` })).action).toBe(
      'created',
    );
    expect((await upsertStickyComment({ ...place, marker: web, body: `${web}\nweb` })).action).toBe(
      'created',
    );
    expect((await upsertStickyComment({ ...place, marker: api, body: `${api}\nsecond` })).action).toBe(
      'updated',
    );

    expect(github.comments(3).map((comment) => comment.body)).toEqual([`${api}\nsecond`, `${web}\nweb`]);
  });

  test('a comment that only quotes the marker is not taken for the sticky one', async () => {
    await using github = await startFakeGitHub();
    const marker = stickyMarker({ directory: 'db', target: 'postgres' });
    github.seed(3, [`> ${marker}\n> quoted by a reviewer`]);

    const octokit = getOctokit('token', { baseUrl: github.url });
    const outcome = await upsertStickyComment({
      octokit,
      owner: 'acme',
      repo: 'shop',
      issueNumber: 3,
      marker,
      body: `${marker}\nreport`,
      create: true,
    });
    expect(outcome.action).toBe('created');
    expect(github.comments(3)).toHaveLength(2);
  });

  test('with nothing to report, no comment is created, but an existing one is still updated', async () => {
    await using github = await startFakeGitHub();
    const octokit = getOctokit('token', { baseUrl: github.url });
    const marker = stickyMarker({ directory: 'db', target: 'postgres' });
    const place = { octokit, owner: 'acme', repo: 'shop', issueNumber: 3, marker, create: false };

    expect(await upsertStickyComment({ ...place, body: `${marker}\nnothing new` })).toEqual({
      action: 'none',
    });
    expect(github.comments(3)).toEqual([]);

    github.seed(3, [`${marker}\nan earlier report`]);
    expect((await upsertStickyComment({ ...place, body: `${marker}\nnothing new` })).action).toBe('updated');
    expect(github.comments(3).map((comment) => comment.body)).toEqual([`${marker}\nnothing new`]);
  });
});
