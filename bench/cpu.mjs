// CPU time of a process, for the benches that run workerd as a child: per request or per
// verification, the worker's own cost, which a loaded machine stretches far less than req/s.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds all threads of process `pid` have run (Linux schedstat), or null elsewhere. */
export function cpuSeconds(pid) {
  try {
    let ns = 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
    return ns / 1e9;
  } catch {
    return null;
  }
}
