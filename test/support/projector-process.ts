import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ENTRY = join(__dirname, '..', '..', 'dist', 'apps', 'projector', 'src', 'main.js');

export interface ProjectorProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Starts the built projector process and resolves once its output shows `ready`. */
export function startProjector(
  env: NodeJS.ProcessEnv,
  ready = 'projector running',
): Promise<ProjectorProcess> {
  const child = spawn(process.execPath, [ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(ready)) resolve({ child, exited });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`projector exited (${String(code)}) before running:\n${output}`)),
    );
  });
}
