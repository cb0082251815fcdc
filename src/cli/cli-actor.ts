// Who an admin action from the command line is recorded as in the audit trail: `cli:<os user>@<host>`.
import { hostname, userInfo } from 'node:os';

/**
 * The audit actor of this process's CLI user: `cli:<user>@<host>`, the user from the operating system (else
 * $USER or $LOGNAME of `env`, else `unknown`: a container may run as a uid without a name).
 */
export function cliActor(env: NodeJS.ProcessEnv): string {
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    user = undefined;
  }
  return `cli:${user || env.USER || env.LOGNAME || 'unknown'}@${hostname()}`;
}
