import { describe, expect, it } from 'vitest';
import { admitRequest, crowdedOut } from './admission';

const limits = { maxConnections: 4, maxUnauthenticated: 2 };

describe('crowdedOut', () => {
  it('closes nothing while the unauthenticated budget has room', () => {
    expect(crowdedOut(0, limits)).toBe(0);
    expect(crowdedOut(1, limits)).toBe(0);
  });

  it('closes the oldest to let a new connection in once the budget is full, never refusing the newcomer', () => {
    expect(crowdedOut(2, limits)).toBe(1);
    // after the budget was lowered (never below what makes room for one)
    expect(crowdedOut(5, limits)).toBe(4);
  });

  it('does not depend on how many runner slots are taken', () => {
    expect(crowdedOut(1, { maxConnections: 1, maxUnauthenticated: 2 })).toBe(0);
  });
});

describe('admitRequest', () => {
  const req = (authenticatedConnection: boolean, validToken: boolean, authenticated: number) => admitRequest({ authenticatedConnection, validToken, authenticated }, limits);

  it('moves a new connection with a valid token into a free runner slot', () => {
    expect(req(false, true, 0)).toEqual({ kind: 'promote' });
    expect(req(false, true, 3)).toEqual({ kind: 'promote' });
  });

  it('answers 503 rather than queue when every runner slot is taken', () => {
    expect(req(false, true, 4)).toEqual({ kind: 'busy' });
  });

  it('keeps serving a connection that already holds a slot, even with every slot taken', () => {
    expect(req(true, true, 4)).toEqual({ kind: 'serve' });
  });

  it('refuses and closes without a valid token, on a new connection or one that had a token before', () => {
    expect(req(false, false, 0)).toEqual({ kind: 'refuse-and-close' });
    expect(req(true, false, 1)).toEqual({ kind: 'refuse-and-close' });
    expect(req(false, false, 4)).toEqual({ kind: 'refuse-and-close' });
  });
});
