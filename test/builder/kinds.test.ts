// kiln's own kinds go through the same interface as plugin kinds: each is keyed by its
// name, has its stage, and its options schema is the one template validation uses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BUILTIN_POST_PROCESSORS } from '../../lib/builder/kinds/builtin-post-processors.js';
import { BUILTIN_PROVISIONERS } from '../../lib/builder/kinds/builtin-provisioners.js';
import { BUILTIN_KINDS } from '../../lib/plugins/load-plugins.js';
import { templateSchema } from '../../lib/template/schema.js';

const itemOf = (key: 'provision' | 'post_process') => templateSchema.properties![key]!.items!;

// [stage, the registry, the template schema's item for that list]
const registries = [
  ['provision', BUILTIN_PROVISIONERS, itemOf('provision')],
  ['post-process', BUILTIN_POST_PROCESSORS, itemOf('post_process')],
] as const;
for (const [stage, registry, item] of registries) {
  test(`${stage}: every kind the schema lists is registered, under its own name, with the schema's node for its options`, () => {
    assert.equal(Object.keys(registry).sort(), Object.keys(item.properties!).sort());
    assert.equal([...BUILTIN_KINDS[stage]].sort(), Object.keys(item.properties!).sort());
    for (const [name, kind] of Object.entries(registry)) {
      assert.is(kind.name, name);
      assert.is(kind.stage, stage);
      assert.is(kind.schema, item.properties![name], `${name}'s schema is the template schema's`);
    }
  });
}

test('the kinds that act outside the disk declare themselves uncacheable', () => {
  const uncached = (registry: Record<string, { cache?: unknown }>) => Object.entries(registry).filter(([, k]) => k.cache === false).map(([n]) => n);
  assert.equal(uncached(BUILTIN_PROVISIONERS), ['shell-local', 'breakpoint']);
  assert.equal(uncached(BUILTIN_POST_PROCESSORS), ['shell-local']);
});

test.run();
