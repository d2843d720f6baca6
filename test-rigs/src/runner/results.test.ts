import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { junitXml, summary, xmlText, type RunResult } from './results';

const run: RunResult = {
  rig: 'virtual',
  driver: 'virtual',
  startedAt: new Date('2026-01-01T00:00:00Z'),
  cases: [
    {
      scenario: 'post press → incident',
      place: 'post-1',
      outcome: 'passed',
      seconds: 1.5,
      log: ['incident i-1'],
    },
    {
      scenario: 'tamper → fault',
      place: 'post-1',
      outcome: 'failed',
      seconds: 2,
      message: 'no "tamper" fault <within> 5 s & more',
      detail: 'Error: stack\u0007',
      log: [],
    },
    {
      scenario: 'hold → alarm',
      place: 'wearable-1',
      outcome: 'skipped',
      seconds: 0,
      message: 'not wired',
      log: [],
    },
  ],
};

test('markup and XML-forbidden control characters are escaped away', () => {
  assert.is(xmlText('a<b & "c"\u0001'), 'a&lt;b &amp; &quot;c&quot;');
});

test('the JUnit XML counts cases per place and is well-formed for xmllint', () => {
  const xml = junitXml(run);
  assert.match(
    xml,
    /<testsuites name="urgence rig virtual" tests="3" failures="1" errors="0" skipped="1"/,
  );
  assert.match(xml, /<testsuite name="virtual\/post-1" tests="2" failures="1"/);
  assert.match(
    xml,
    /<failure message="no &quot;tamper&quot; fault &lt;within&gt; 5 s &amp; more">/,
  );
  execFileSync('xmllint', ['--noout', '-'], { input: xml });
});

test('the summary gives one line per case and the totals', () => {
  const lines = summary(run).split('\n');
  assert.is(lines.length, 4);
  assert.match(
    lines[1]!,
    /^FAIL {2}post-1 {6}tamper → fault {2}2\.0 s {2}\(no "tamper" fault/,
  );
  assert.is(lines[3], 'virtual (virtual): 1 passed, 1 failed, 1 skipped in 3.500 s');
});

test.run();
