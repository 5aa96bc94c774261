import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultParallelism } from '../../lib/parallel/parallelism.js';

const machine = (cpus: number, memory_mib: number) => ({ cpus, memory_mib });

test('the default: half a core per guest vCPU and the guests\' memory in 3/4 of the free memory, never above the builds or below 1', () => {
  const cases: [string, Parameters<typeof defaultParallelism>[0], ReturnType<typeof machine>[], number][] = [
    ['2 cores, 2-vCPU guests (measured: two at once pay)', { cpus: 2, freeMemoryMib: 20_000 }, [machine(2, 2048), machine(2, 2048), machine(2, 2048)], 2],
    ['2 cores, 4-vCPU guests', { cpus: 2, freeMemoryMib: 20_000 }, [machine(4, 1024), machine(4, 1024)], 1],
    ['8 cores, 2-vCPU guests', { cpus: 8, freeMemoryMib: 64_000 }, Array(10).fill(machine(2, 2048)), 8],
    ['memory-bound', { cpus: 16, freeMemoryMib: 8_000 }, Array(10).fill(machine(2, 2048)), 2],
    ['no more than the builds', { cpus: 32, freeMemoryMib: 64_000 }, [machine(2, 1024), machine(2, 1024)], 2],
    ['the largest guest decides', { cpus: 4, freeMemoryMib: 64_000 }, [machine(1, 1024), machine(8, 1024)], 1],
    ['too little memory for even one: still 1', { cpus: 4, freeMemoryMib: 100 }, [machine(1, 4096), machine(1, 4096)], 1],
    ['no builds', { cpus: 4, freeMemoryMib: 100 }, [], 1],
  ];
  for (const [what, host, machines, expected] of cases) assert.is(defaultParallelism(host, machines), expected, what);
});

test.run();
