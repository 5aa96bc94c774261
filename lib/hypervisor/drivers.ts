// The drivers kiln has, by the template's `hypervisor:`.
import type { Template } from '../template/types.js';
import type { Driver } from './driver.js';
import { qemuDriver } from './qemu/driver.js';
import { virtualBoxDriver } from './virtualbox/driver.js';

export function driverFor(hypervisor: Template['hypervisor']): Driver {
  return hypervisor === 'virtualbox' ? virtualBoxDriver : qemuDriver;
}
