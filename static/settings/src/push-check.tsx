/**
 * "Do the remote's notifications arrive?": the admin changes a synced item in
 * the remote and the page watches for the sync that change caused (the
 * `changePushArrival` resolver reads it from the links' sync steps), saying
 * which item came through and when, or, after two minutes, that none did and
 * what to check.
 */
import { useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import { callResolver, when } from '../../shared/ui';

interface Arrival {
  at: number;
  issueKey: string;
  remoteKey: string;
  cause: string;
}

const POLL_MS = 3000;
const WAIT_MS = 120_000;

export function PushCheck({
  connectionId,
  remoteLabel,
  manual,
}: {
  connectionId: string;
  remoteLabel: string;
  manual: boolean;
}) {
  const [last, setLast] = useState<Arrival | null>();
  const [watching, setWatching] = useState<{ since: number; until: number }>();
  const [outcome, setOutcome] = useState<{ arrival: Arrival } | { timedOut: true }>();
  const [error, setError] = useState<string>();
  const timer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    void callResolver<{ arrival: Arrival | null }>('changePushArrival', { connectionId }).then((res) =>
      res.ok ? setLast(res.data.arrival) : setError(res.error.message),
    );
    return () => clearTimeout(timer.current);
  }, [connectionId]);

  useEffect(() => {
    if (!watching) return;
    const poll = async () => {
      const res = await callResolver<{ arrival: Arrival | null }>('changePushArrival', {
        connectionId,
        since: watching.since,
      });
      if (!res.ok) {
        setError(res.error.message);
        return setWatching(undefined);
      }
      if (res.data.arrival) {
        setOutcome({ arrival: res.data.arrival });
        setLast(res.data.arrival);
        return setWatching(undefined);
      }
      if (Date.now() >= watching.until) {
        setOutcome({ timedOut: true });
        return setWatching(undefined);
      }
      timer.current = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => clearTimeout(timer.current);
  }, [watching, connectionId]);

  const start = () => {
    setOutcome(undefined);
    setError(undefined);
    // A small margin: the remote's clock and ours need not agree to the second.
    const now = Date.now();
    setWatching({ since: now - 5000, until: now + WAIT_MS });
  };

  return (
    <Stack space="space.100" testId="push-check">
      <Text as="p">
        {last
          ? `Last change that arrived by notification: ${last.remoteKey} → ${last.issueKey}, ${when(new Date(last.at).toISOString())}.`
          : last === null
            ? 'No change has arrived by notification yet.'
            : ''}
      </Text>
      {watching ? (
        <SectionMessage appearance="information" title="Waiting for a notification">
          <p>
            Change any synced item in {remoteLabel} now (its title, or a comment). This page shows it here as soon as it
            arrives.
          </p>
        </SectionMessage>
      ) : (
        <Inline>
          <Button onClick={start}>Check that notifications arrive</Button>
        </Inline>
      )}
      {outcome && 'arrival' in outcome && (
        <SectionMessage appearance="success" title="Notifications arrive">
          <p>
            {outcome.arrival.remoteKey} changed in {remoteLabel} and was synced to {outcome.arrival.issueKey}{' '}
            {when(new Date(outcome.arrival.at).toISOString())}.
          </p>
        </SectionMessage>
      )}
      {outcome && 'timedOut' in outcome && (
        <SectionMessage appearance="warning" title="No notification arrived in two minutes">
          <p>
            {manual
              ? `Check that the business rules are active in ${remoteLabel}, that they point at the address above, and that the signing secret pasted there is the current one. Changes still sync every five minutes without them.`
              : `Crosswalk creates ${remoteLabel}'s notifications when the connection is saved: save it again to recreate them, and check that the remote's admin has not disabled them. Changes still sync every five minutes without them.`}
          </p>
        </SectionMessage>
      )}
      {error && (
        <SectionMessage appearance="error">
          <p>{error}</p>
        </SectionMessage>
      )}
    </Stack>
  );
}
