import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { SubscriberCommand, SubscriberReply } from './subscribers';

/** The followers' process, driven over IPC. */
export class Subscribers {
  private readonly child: ChildProcess;
  constructor() {
    this.child = fork(join(__dirname, 'subscribers.js'), [], { stdio: 'inherit' });
  }

  ask(command: SubscriberCommand): Promise<SubscriberReply> {
    return new Promise((resolve, reject) => {
      this.child.once('message', (reply: SubscriberReply) => resolve(reply));
      this.child.once('exit', (code) => reject(new Error(`subscribers exited (${code})`)));
      this.child.send(command);
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  close(): void {
    if (this.child.connected) this.child.send({ cmd: 'close' } satisfies SubscriberCommand);
  }
}
