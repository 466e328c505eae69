import { AssignerProtocol, GroupDescription, MemberDescription } from 'kafkajs';
import { partitionOwnership } from './partition-ownership';

function member(assignment: Record<string, number[]> | Buffer): MemberDescription {
  const memberAssignment = Buffer.isBuffer(assignment) ? assignment : AssignerProtocol.MemberAssignment.encode({ version: 0, assignment, userData: Buffer.alloc(0) });
  return { memberId: 'm', clientId: 'c', clientHost: '/127.0.0.1', memberMetadata: Buffer.alloc(0), memberAssignment };
}

function group(overrides: Partial<GroupDescription>): Pick<GroupDescription, 'state' | 'protocolType' | 'members'> {
  return { state: 'Stable', protocolType: 'consumer', members: [], ...overrides };
}

describe('partitionOwnership', () => {
  it('owns exactly the partitions assigned to the members of a stable consumer group', () => {
    const sut = partitionOwnership(group({ members: [member({ orders: [0, 2] }), member({ orders: [1], audit: [0] })] }));
    expect([sut('orders', 0), sut('orders', 1), sut('orders', 2), sut('audit', 0)]).toEqual([true, true, true, true]);
    expect([sut('orders', 3), sut('payments', 0)]).toEqual([false, false]);
  });

  it('owns nothing without members', () => {
    expect(partitionOwnership(group({ state: 'Empty' }))('orders', 0)).toBe(false);
  });

  it('owns everything while a group with members rebalances (assignments are empty then)', () => {
    const sut = partitionOwnership(group({ state: 'PreparingRebalance', members: [member(Buffer.alloc(0))] }));
    expect(sut('orders', 7)).toBe(true);
  });

  it('owns everything for other protocols, and for assignments it cannot decode', () => {
    expect(partitionOwnership(group({ protocolType: 'connect', members: [member(Buffer.from('x'))] }))('t', 0)).toBe(true);
    expect(partitionOwnership(group({ members: [member(Buffer.from([0, 0, 0, 0, 0, 9]))] }))('t', 0)).toBe(true);
  });
});
