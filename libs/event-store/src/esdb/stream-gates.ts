/**
 * `append`: appending to the stream; `condition`: an append conditioned on the stream not
 * moving. Holders of one kind share the gate; the two kinds exclude each other.
 */
export type GateMode = 'append' | 'condition';

interface Gate {
  mode: GateMode | undefined;
  holders: number;
  waiting: { mode: GateMode; enter: () => void }[];
}

/**
 * In-process gates per stream that make "check the context streams' revisions, then
 * append" atomic against appends to those contexts MADE BY THIS PROCESS. EventStoreDB has no
 * multi-stream transaction, so nothing orders them against other processes (see README).
 * Gates are taken in stream-id order (no deadlock) and granted first come, first served
 * (an append waiting behind conditioned appends is not starved).
 */
export class StreamGates {
  private readonly gates = new Map<string, Gate>();

  async enter(entries: readonly { streamId: string; mode: GateMode }[]): Promise<() => void> {
    const sorted = [...entries].sort((a, b) =>
      a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0,
    );
    const held: string[] = [];
    try {
      for (const { streamId, mode } of sorted) {
        await this.enterOne(streamId, mode);
        held.push(streamId);
      }
    } catch (error) {
      for (const id of held) this.leave(id);
      throw error;
    }
    let left = false;
    return () => {
      if (left) return;
      left = true;
      for (const id of held) this.leave(id);
    };
  }

  private enterOne(streamId: string, mode: GateMode): Promise<void> {
    let gate = this.gates.get(streamId);
    if (!gate) {
      gate = { mode: undefined, holders: 0, waiting: [] };
      this.gates.set(streamId, gate);
    }
    if (gate.waiting.length === 0 && (gate.holders === 0 || gate.mode === mode)) {
      gate.mode = mode;
      gate.holders++;
      return Promise.resolve();
    }
    const waiting = gate.waiting;
    return new Promise((enter) => waiting.push({ mode, enter }));
  }

  private leave(streamId: string): void {
    const gate = this.gates.get(streamId);
    if (!gate) return;
    gate.holders--;
    if (gate.holders > 0) return;
    const next = gate.waiting[0];
    if (!next) {
      this.gates.delete(streamId);
      return;
    }
    // Admit the next waiter and every waiter of its kind queued right behind it.
    gate.mode = next.mode;
    while (gate.waiting[0]?.mode === gate.mode) {
      gate.holders++;
      gate.waiting.shift()!.enter();
    }
  }
}
