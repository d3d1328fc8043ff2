// A write made only if no newer call started while this one was suspended: continue
// extensions/vscode/src/activation/NextEditWindowManager.ts takes `const operationId = ++this.latestOperationId`,
// awaits the editor command, and stores the state only `if (operationId === this.latestOperationId)`. The newest call
// wins, whatever order the awaits finish in. `setModeUnchecked` is the same method without the token.
import { Mutex } from 'async-mutex';

declare function performKeyReservation(reserve: boolean): Promise<void>;

export const reservationLock = new Mutex();

export class NextEditWindowManager {
  private keyReservationState: 'free' | 'reserved' = 'free';
  private latestOperationId = 0;
  private mode: string = 'free';

  async setKeyReservation(reserve: boolean): Promise<void> {
    const operationId = ++this.latestOperationId;
    if ((reserve && this.keyReservationState === 'reserved') || (!reserve && this.keyReservationState === 'free')) {
      return;
    }
    try {
      await performKeyReservation(reserve);
      if (operationId === this.latestOperationId) {
        this.keyReservationState = reserve ? 'reserved' : 'free';
      }
    } catch (err) {
      if (operationId === this.latestOperationId) this.keyReservationState = 'free';
      throw err;
    }
  }

  async setModeUnchecked(mode: string, next: string): Promise<void> {
    if (this.mode !== mode) return;
    await performKeyReservation(mode === 'reserved');
    this.mode = `${next}:${mode}`; // expect: async-atomicity
  }

  async resetKeyReservation(): Promise<void> {
    this.keyReservationState = 'free';
    this.mode = 'free';
    this.latestOperationId = 0;
    await performKeyReservation(false);
  }
}
