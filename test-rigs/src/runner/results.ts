// Results of a rig run: one case per scenario and place, written as JUnit XML (the format
// CI servers read: testsuites > testsuite > testcase with failure/skipped) and as a short
// summary a person reads in a terminal.

export interface CaseResult {
  scenario: string;
  place: string;
  outcome: 'passed' | 'failed' | 'skipped';
  seconds: number;
  /** Failure or skip reason. */
  message?: string;
  detail?: string;
  /** What the scenario logged along the way (stages and their times). */
  log: string[];
}

export interface RunResult {
  rig: string;
  driver: string;
  startedAt: Date;
  cases: CaseResult[];
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** XML 1.0 text: markup characters escaped, control characters XML forbids removed. */
export function xmlText(text: string): string {
  // XML 1.0 allows tab, LF and CR among the C0 controls, and not U+FFFE/U+FFFF.
  // eslint-disable-next-line no-control-regex
  const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
  const allowed = text.replace(forbidden, '');
  return allowed.replace(/[&<>"']/g, (char) => escapes[char]!);
}

const count = (cases: CaseResult[], outcome: CaseResult['outcome']) =>
  cases.filter((result) => result.outcome === outcome).length;
const seconds = (cases: CaseResult[]) =>
  cases.reduce((sum, result) => sum + result.seconds, 0).toFixed(3);

export function junitXml(run: RunResult): string {
  const places = [...new Set(run.cases.map((result) => result.place))];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlText(`urgence rig ${run.rig}`)}" tests="${run.cases.length}" ` +
      `failures="${count(run.cases, 'failed')}" errors="0" ` +
      `skipped="${count(run.cases, 'skipped')}" time="${seconds(run.cases)}">`,
  ];
  for (const place of places) {
    const cases = run.cases.filter((result) => result.place === place);
    lines.push(
      `  <testsuite name="${xmlText(`${run.rig}/${place}`)}" tests="${cases.length}" ` +
        `failures="${count(cases, 'failed')}" errors="0" skipped="${count(cases, 'skipped')}" ` +
        `time="${seconds(cases)}" timestamp="${run.startedAt.toISOString()}">`,
    );
    for (const result of cases) lines.push(...testcaseXml(run, result));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testcaseXml(run: RunResult, result: CaseResult): string[] {
  const open =
    `    <testcase classname="${xmlText(`${run.driver}.${run.rig}.${result.place}`)}" ` +
    `name="${xmlText(result.scenario)}" time="${result.seconds.toFixed(3)}">`;
  const body: string[] = [];
  const message = xmlText(result.message ?? '');
  if (result.outcome === 'failed') {
    body.push(
      `      <failure message="${message}">${xmlText(result.detail ?? '')}</failure>`,
    );
  } else if (result.outcome === 'skipped') {
    body.push(`      <skipped message="${message}"/>`);
  }
  if (result.log.length > 0) {
    body.push(`      <system-out>${xmlText(result.log.join('\n'))}</system-out>`);
  }
  return [open, ...body, '    </testcase>'];
}

/** One line per case, then the totals: what a person reads after a run. */
export function summary(run: RunResult): string {
  const mark = { passed: 'pass', failed: 'FAIL', skipped: 'skip' } as const;
  const width = Math.max(...run.cases.map((result) => result.place.length), 5);
  const lines = run.cases.map((result) => {
    const reason = result.message === undefined ? '' : `  (${result.message})`;
    return (
      `${mark[result.outcome]}  ${result.place.padEnd(width)}  ` +
      `${result.scenario}  ${result.seconds.toFixed(1)} s${reason}`
    );
  });
  lines.push(
    `${run.rig} (${run.driver}): ${count(run.cases, 'passed')} passed, ` +
      `${count(run.cases, 'failed')} failed, ${count(run.cases, 'skipped')} skipped ` +
      `in ${seconds(run.cases)} s`,
  );
  return lines.join('\n');
}
