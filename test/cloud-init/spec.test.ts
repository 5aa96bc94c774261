// The cloud_init: section: defaults and every structural problem, by key path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCloudInitSpec } from '../../lib/cloud-init/spec.js';
import { formatPath } from '../../lib/template/finding.js';

const problems = (raw: unknown) => parseCloudInitSpec(raw).findings.map((f) => `${formatPath(f.path)}: ${f.message}`);

test('defaults: empty user-data and meta-data, served over http', () => {
  assert.equal(parseCloudInitSpec({}), { spec: { user_data: {}, meta_data: {}, via: ['http'] }, findings: [] });
  assert.equal(parseCloudInitSpec({ via: 'cdrom', network_config: 'version: 2\n' }).spec, { user_data: {}, meta_data: {}, via: ['cdrom'], network_config: 'version: 2\n' });
  assert.equal(parseCloudInitSpec({ via: ['cdrom', 'http'] }).spec?.via, ['cdrom', 'http']);
  const parts = [{ cloud_config: { packages: [] } }, { script: '#!/bin/sh\n', filename: '10-a.sh' }, { boothook: 'x' }, { content_type: 'text/x-include-url', content: 'http://x/' }];
  assert.equal(parseCloudInitSpec({ user_data: parts }).spec?.user_data, parts);
});

test('problems, each at its key path', () => {
  const cases: [unknown, string[]][] = [
    ['x', ['cloud_init: cloud_init must be a mapping with user_data, meta_data, network_config and via']],
    [{ userdata: {} }, ['cloud_init.userdata: unknown key "userdata": did you mean "user_data"?; cloud_init has user_data, meta_data, network_config, via']],
    [{ user_data: 5 }, ['cloud_init.user_data: user_data must be cloud-config keys (a mapping), a #cloud-config document or script (a string), or a list of parts']],
    [{ meta_data: [] }, ['cloud_init.meta_data: meta_data must be a mapping (instance-id, local-hostname, ...) or a string']],
    [{ network_config: true }, ['cloud_init.network_config: network_config must be a mapping (network configuration version 1 or 2) or a string']],
    [{ via: 'cdom' }, ['cloud_init.via: via must be http, cdrom or a list of both, not "cdom": did you mean "cdrom"?']],
    [{ via: ['http', 'http'] }, ['cloud_init.via: via lists http twice']],
    [{ via: [] }, ['cloud_init.via: via must name at least one of http and cdrom']],
    [{ user_data: ['x'] }, ['cloud_init.user_data[0]: a user_data part must be a mapping with one of cloud_config, script, boothook or content_type']],
    [{ user_data: [{}] }, ['cloud_init.user_data[0]: a user_data part needs one of cloud_config, script, boothook or content_type']],
    [{ user_data: [{ script: '#!/bin/sh', boothook: 'x' }] }, ['cloud_init.user_data[0]: a user_data part has one of script and boothook, not both']],
    [{ user_data: [{ script: 'echo hi' }] }, ['cloud_init.user_data[0].script: a script must start with "#!" (e.g. #!/bin/sh): cloud-init runs it as a program']],
    [{ user_data: [{ script: ['#!/bin/sh'] }] }, ['cloud_init.user_data[0].script: script must be a string']],
    [{ user_data: [{ script: '#!/bin/sh', filname: 'a' }] }, ['cloud_init.user_data[0].filname: unknown key "filname" in a script part: did you mean "filename"?; it has script, filename']],
    [{ user_data: [{ script: '#!/bin/sh', filename: '../etc/passwd' }] }, ['cloud_init.user_data[0].filename: filename must be a plain file name: letters, digits, ".", "_" and "-", at most 64']],
    [{ user_data: [{ cloud_config: 3 }] }, ['cloud_init.user_data[0].cloud_config: cloud_config must be cloud-config keys (a mapping) or a #cloud-config document (a string)']],
    [{ user_data: [{ content_type: 'application/json', content: '{}' }] }, ['cloud_init.user_data[0].content_type: content_type must be a text/ MIME type such as text/x-include-url, not "application/json"']],
    [{ user_data: [{ content_type: 'text/jinja2' }] }, ['cloud_init.user_data[0].content: a content_type part needs content: a string']],
  ];
  for (const [raw, expected] of cases) {
    assert.equal(problems(raw), expected, JSON.stringify(raw));
    assert.is(parseCloudInitSpec(raw).spec, undefined);
  }
  // An unknown key points at the key itself.
  assert.is(parseCloudInitSpec({ userdata: {} }).findings[0]!.at, 'key');
  // Every problem at once.
  assert.is(problems({ user_data: 5, meta_data: [], via: 'x' }).length, 3);
});

test('another place in the template', () => {
  assert.equal(parseCloudInitSpec({ via: 'x' }, ['builds', 0, 'cloud_init']).findings[0]!.path, ['builds', 0, 'cloud_init', 'via']);
});

test.run();
