// The catalog's metadata.json as tables: what adding one box does to a catalog, what is
// refused, and what is read back from disk.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addEntry, emptyCatalog, findEntry, parseCatalog, sortProviders, type CatalogEntry, type CatalogMetadata, type CatalogProvider } from '../../lib/publish/catalog-metadata.js';
import { kilnThrown } from '../helpers/rejection.js';

const SUM = (c: string) => c.repeat(64);
const entry = (version: string, provider = 'libvirt', architecture = 'amd64', checksum = SUM('a')): CatalogEntry => ({
  version,
  provider,
  architecture,
  url: `http://h/acme/box/${version}/${provider}-${architecture}.box`,
  checksum,
});
const row = (e: CatalogEntry, default_architecture = true): CatalogProvider => ({
  name: e.provider,
  url: e.url,
  checksum_type: 'sha256',
  checksum: e.checksum,
  architecture: e.architecture,
  default_architecture,
});
/** The catalog after adding each entry in turn, without force. */
const build = (...entries: CatalogEntry[]): CatalogMetadata => entries.reduce((c, e) => addEntry(c, e, { force: false }).catalog, emptyCatalog('acme/box'));
const shape = (c: CatalogMetadata) => c.versions.map((v) => `${v.version}: ${v.providers.map((p) => `${p.name}/${p.architecture}${p.default_architecture ? '*' : ''}`).join(' ')}`);

const cases: { name: string; entries: CatalogEntry[]; expect: string[] }[] = [
  { name: 'the first version', entries: [entry('1.0.0')], expect: ['1.0.0: libvirt/amd64*'] },
  { name: 'a second version', entries: [entry('1.0.0'), entry('1.1.0')], expect: ['1.0.0: libvirt/amd64*', '1.1.0: libvirt/amd64*'] },
  {
    name: 'versions sorted as numbers, whatever the order of publishing',
    entries: [entry('1.10.0'), entry('1.2.0'), entry('0.9.9'), entry('1.2.10'), entry('10.0.0')],
    expect: ['0.9.9: libvirt/amd64*', '1.2.0: libvirt/amd64*', '1.2.10: libvirt/amd64*', '1.10.0: libvirt/amd64*', '10.0.0: libvirt/amd64*'],
  },
  { name: 'another provider in a version', entries: [entry('1.0.0'), entry('1.0.0', 'virtualbox')], expect: ['1.0.0: libvirt/amd64* virtualbox/amd64*'] },
  {
    name: 'another architecture of a provider: not the default, listed before it (Vagrant 2.3 keeps the last)',
    entries: [entry('1.0.0'), entry('1.0.0', 'libvirt', 'arm64')],
    expect: ['1.0.0: libvirt/arm64 libvirt/amd64*'],
  },
  {
    name: 'providers sorted by name',
    entries: [entry('1.0.0', 'virtualbox'), entry('1.0.0', 'libvirt'), entry('1.0.0', 'virtualbox', 'arm64')],
    expect: ['1.0.0: libvirt/amd64* virtualbox/arm64 virtualbox/amd64*'],
  },
];

for (const c of cases) {
  test(`add: ${c.name}`, () => {
    assert.equal(shape(build(...c.entries)), c.expect);
  });
}

test('add: an entry is written in full, the description set, the name kept', () => {
  const e = entry('1.2.0');
  const { catalog, replaced } = addEntry(emptyCatalog('acme/box'), e, { force: false, description: 'Debian 12' });
  assert.is(replaced, undefined);
  assert.equal(catalog, { name: 'acme/box', description: 'Debian 12', versions: [{ version: '1.2.0', providers: [row(e)] }] });
  // Without a description the one there is kept.
  assert.is(addEntry(catalog, entry('1.3.0'), { force: false }).catalog.description, 'Debian 12');
});

test('add: the same version, provider and architecture is refused without force, naming them', () => {
  const catalog = build(entry('1.0.0'), entry('1.1.0'));
  const before = JSON.stringify(catalog);
  const error = kilnThrown(() => addEntry(catalog, entry('1.1.0', 'libvirt', 'amd64', SUM('b')), { force: false }), 'a duplicate was added');
  assert.is(error.code, 'E_CATALOG_EXISTS');
  assert.match(error.message, 'acme/box 1.1.0 already has a libvirt box for amd64');
  assert.match(error.hint!, /--force/);
  assert.is(JSON.stringify(catalog), before, 'the catalog was changed');
});

test('add: force replaces that entry only, keeping its default role and the other versions', () => {
  const catalog = build(entry('1.0.0'), entry('1.1.0'), entry('1.1.0', 'libvirt', 'arm64'), entry('1.1.0', 'virtualbox'));
  const fresh = entry('1.1.0', 'libvirt', 'amd64', SUM('c'));
  const { catalog: after, replaced } = addEntry(catalog, fresh, { force: true });
  assert.equal(replaced, row(entry('1.1.0')));
  assert.equal(shape(after), shape(catalog));
  assert.equal(findEntry(after, '1.1.0', 'libvirt', 'amd64'), row(fresh));
  assert.equal(after.versions[0], catalog.versions[0]);
  // A replaced non-default architecture stays non-default.
  const arm = addEntry(after, entry('1.1.0', 'libvirt', 'arm64', SUM('d')), { force: true }).catalog;
  assert.is(findEntry(arm, '1.1.0', 'libvirt', 'arm64')!.default_architecture, false);
  // Force with nothing to replace just adds.
  assert.is(addEntry(catalog, entry('2.0.0'), { force: true }).replaced, undefined);
});

test('add: an entry without an architecture (older catalogs) stands for every architecture', () => {
  const old: CatalogMetadata = {
    name: 'acme/box',
    description: '',
    versions: [{ version: '1.0.0', providers: [{ name: 'libvirt', url: 'http://old', checksum_type: 'sha256', checksum: SUM('e') }] }],
  };
  assert.throws(() => addEntry(old, entry('1.0.0', 'libvirt', 'arm64'), { force: false }), /already has a libvirt box for every architecture/);
  const { catalog, replaced } = addEntry(old, entry('1.0.0', 'libvirt', 'arm64'), { force: true });
  assert.is(replaced!.url, 'http://old');
  assert.equal(shape(catalog), ['1.0.0: libvirt/arm64*']);
});

test('add: what kiln does not write is kept (version and catalog fields, other versions as written)', () => {
  const hand: CatalogMetadata = {
    name: 'acme/box',
    description: 'hand-made',
    owner: 'ops',
    versions: [
      { version: '1.0', description: 'first', providers: [{ name: 'virtualbox', url: 'http://vb', checksum_type: 'md5', checksum: 'x', size: 12 }] },
    ],
  };
  const { catalog } = addEntry(hand, entry('1.0.0'), { force: false }); // 1.0 equals 1.0.0, as for Vagrant
  assert.is(catalog.owner, 'ops');
  assert.is(catalog.versions.length, 1);
  assert.is(catalog.versions[0]!.version, '1.0');
  assert.is(catalog.versions[0]!.description, 'first');
  assert.equal(catalog.versions[0]!.providers.map((p) => p.name), ['libvirt', 'virtualbox']);
  assert.is(catalog.versions[0]!.providers[1]!.size, 12);
  assert.is(hand.versions[0]!.providers.length, 1, 'the input was changed');
});

test('sortProviders: name, then the default architecture last', () => {
  const p = (name: string, architecture: string, d: boolean): CatalogProvider => ({ name, url: '', checksum_type: 'sha256', checksum: '', architecture, default_architecture: d });
  const sorted = sortProviders([p('vmware', 'amd64', true), p('libvirt', 'amd64', true), p('libvirt', 'i386', false), p('libvirt', 'arm64', false)]);
  assert.equal(sorted.map((x) => `${x.name}/${x.architecture}`), ['libvirt/arm64', 'libvirt/i386', 'libvirt/amd64', 'vmware/amd64']);
});

const FILE = '/srv/boxes/acme/box/metadata.json';
const bad: [string, string, RegExp][] = [
  ['not JSON', '{"name": ', /acme\/box\/metadata\.json cannot be read as a box catalog: it is not JSON/],
  ['an array', '[]', /it is not a JSON object/],
  ['versions not a list', '{"versions": {}}', /"versions" is not a list/],
  ['a version without one', '{"versions": [{"providers": []}]}', /versions\[0\] has no "version" string/],
  ['providers not a list', '{"versions": [{"version": "1.0.0", "providers": 3}]}', /versions\[0\]\.providers is not a list/],
  ['a provider without a name', '{"versions": [{"version": "1.0.0", "providers": [{"url": "x"}]}]}', /versions\[0\]\.providers\[0\] has no "name" string/],
  ['another box', '{"name": "acme/other", "versions": []}', /is the catalog of box "acme\/other", not "acme\/box"/],
];
for (const [what, text, message] of bad) {
  test(`parseCatalog refuses ${what} (E_CATALOG)`, () => {
    const error = kilnThrown(() => parseCatalog(text, 'acme/box', FILE));
    assert.is(error.code, 'E_CATALOG');
    assert.match(error.message, message);
    assert.ok(error.hint);
  });
}

test('parseCatalog reads what addEntry wrote, and fills what an older file left out', () => {
  const catalog = build(entry('1.0.0'), entry('1.0.0', 'virtualbox'), entry('1.1.0'));
  assert.equal(parseCatalog(JSON.stringify(catalog), 'acme/box', FILE), catalog);
  assert.equal(parseCatalog('{}', 'acme/box', FILE), emptyCatalog('acme/box'));
  assert.equal(parseCatalog('{"versions": [{"version": "1.0.0"}]}', 'acme/box', FILE).versions, [{ version: '1.0.0', providers: [] }]);
});

test.run();
