/**
 * GitHub's own clients against the simulator, run by the contract test in a
 * child process (`npx tsx`): `@octokit/rest` and `@octokit/webhooks-methods`
 * are ESM-only and jest here loads CommonJS. Reads one JSON argument, prints
 * one JSON line of what the clients saw.
 */
import * as z from 'zod';

const input = z.object({
  baseUrl: z.string(),
  token: z.string(),
  owner: z.string(),
  repo: z.string(),
  webhook: z.object({ secret: z.string(), body: z.string(), signature: z.string() }),
});

async function main(): Promise<void> {
  const { baseUrl, token, owner, repo, webhook } = input.parse(JSON.parse(process.argv[2] ?? '{}'));
  const { Octokit } = await import('@octokit/rest');
  // Its types resolve only under `moduleResolution: node16` or later (the repository's is older): named by value here.
  const webhooksMethods: string = '@octokit/webhooks-methods';
  const { verify } = (await import(webhooksMethods)) as {
    verify(secret: string, payload: string, signature: string): Promise<boolean>;
  };
  const octokit = new Octokit({ auth: token, baseUrl });
  const firstPage = await octokit.rest.issues.listForRepo({ owner, repo, state: 'all', per_page: 2 });
  const everything = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner,
    repo,
    state: 'all',
    per_page: 2,
  });
  const created = await octokit.rest.issues.create({
    owner,
    repo,
    title: 'Made by Octokit',
    body: 'Hello',
    labels: ['bug'],
  });
  const updated = await octokit.rest.issues.update({
    owner,
    repo,
    issue_number: created.data.number,
    labels: ['documentation'],
    state: 'closed',
    state_reason: 'not_planned',
  });
  const comment = await octokit.rest.issues.createComment({
    owner,
    repo,
    issue_number: created.data.number,
    body: 'Noted',
  });
  const comments = await octokit.rest.issues.listComments({ owner, repo, issue_number: created.data.number });
  const missing = await octokit.rest.issues.get({ owner, repo: 'no-such-repo', issue_number: 1 }).then(
    () => 0,
    (err: { status?: number }) => err.status ?? -1,
  );
  const result = {
    firstPage: firstPage.data.map((i) => i.number),
    firstPageLink: firstPage.headers.link ?? '',
    all: everything.map((i) => ({ number: i.number, pullRequest: Boolean(i.pull_request) })),
    created: {
      number: created.data.number,
      labels: created.data.labels.map((l) => (typeof l === 'string' ? l : l.name)),
    },
    updated: {
      state: updated.data.state,
      stateReason: updated.data.state_reason,
      labels: updated.data.labels.map((l) => (typeof l === 'string' ? l : l.name)),
    },
    comment: { id: comment.data.id, body: comment.data.body },
    comments: comments.data.map((c) => c.body),
    missingRepoStatus: missing,
    signatureAccepted: await verify(webhook.secret, webhook.body, webhook.signature),
    forgedSignatureAccepted: await verify('not-the-secret', webhook.body, webhook.signature),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
