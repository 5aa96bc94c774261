// http_*, boot_* and the display keys -> http and boot.
import { durationTo, noted, refused, stringTo, type KeyHandler, type KeyTable } from './key-table.js';
import { readStringList, readStringMap } from './values.js';

const HEADLESS = 'kiln always runs the VM headless and reads the screen over QMP (--screenshots, failure.png)';
const KILN_SERVES = 'kiln serves on 127.0.0.1 at a free port; the guest reaches it as {{ .HTTPIP }}:{{ .HTTPPort }}';

const httpContent: KeyHandler = (t, setting, key) => {
  const content = readStringMap(t, key, setting);
  if (content) t.set(['http', 'content'], content, setting.pos);
};

const bootCommand: KeyHandler = (t, setting, key) => {
  const command = readStringList(t, key, setting);
  if (command) t.set(['boot', 'command'], command, setting.pos);
};

export const BOOT_HTTP_KEYS: KeyTable = {
  http_directory: stringTo('http', 'directory'),
  http_content: httpContent,
  http_port_min: noted(KILN_SERVES),
  http_port_max: noted(KILN_SERVES),
  http_bind_address: noted(KILN_SERVES),
  http_interface: noted(KILN_SERVES),
  http_network_protocol: noted(KILN_SERVES),
  boot_command: bootCommand,
  boot_wait: durationTo('boot', 'wait'),
  boot_key_interval: durationTo('boot', 'key_interval'),
  boot_keygroup_interval: noted('kiln paces every key press by boot_key_interval'),
  boot_steps: refused('kiln does not read boot_steps yet: write the steps\' commands as one boot_command list'),
  headless: noted(HEADLESS),
  display: noted(HEADLESS),
  use_default_display: noted(HEADLESS),
  disable_vnc: noted(HEADLESS),
  vnc_bind_address: noted(HEADLESS),
  vnc_port_min: noted(HEADLESS),
  vnc_port_max: noted(HEADLESS),
  vnc_use_password: noted(HEADLESS),
  vrdp_bind_address: noted(HEADLESS),
  vrdp_port_min: noted(HEADLESS),
  vrdp_port_max: noted(HEADLESS),
};
