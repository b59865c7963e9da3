import { DomainError } from '../../src-shared/errors';
import type { ManagerApproval, UserSummary } from '../../src-shared/branch-api';
import type { Users } from '../users/users';

/**
 * The manager who approves an action: the signed-in user if a manager, else
 * the manager whose id and PIN were typed at the till. The PIN goes through
 * the same throttle as sign-in, so approvals cannot be used to guess PINs.
 */
export async function approvingManager(users: Users, actor: UserSummary, approval: ManagerApproval | undefined, what: string): Promise<string> {
  if (actor.role === 'manager') return actor.userId;
  if (!approval) throw new DomainError('forbidden', `${what} needs a manager's approval`, { approvalRequired: true });
  const manager = await users.verify(approval.managerId, approval.pin);
  if (manager.role !== 'manager') throw new DomainError('forbidden', `${manager.name} is not a manager`, { approvalRequired: true });
  return manager.userId;
}
