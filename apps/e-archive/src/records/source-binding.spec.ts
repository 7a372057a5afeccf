import { ConfigError } from '#common';
import { loadArchiveConfig } from '../config/archive-variables.js';
import { parseSourceGrants } from './source-binding.js';

describe('source systems granted to ingest clients (ARCHIVE_SOURCE_SYSTEMS)', () => {
  it('reads client=source|source pairs, and grants e-license its own source by default', () => {
    const grants = parseSourceGrants('svc-oa=oa|oa-legacy, svc-e-license=e-license');
    expect([...grants.get('svc-oa')!]).toEqual(['oa', 'oa-legacy']);
    expect([...grants.get('svc-e-license')!]).toEqual(['e-license']);
    const defaults = parseSourceGrants(loadArchiveConfig({}).ARCHIVE_SOURCE_SYSTEMS);
    expect([...defaults.entries()]).toEqual([['svc-e-license', new Set(['e-license'])]]);
  });

  it('stops the start with an error naming the variable on a malformed value', () => {
    const load = () => loadArchiveConfig({ ARCHIVE_SOURCE_SYSTEMS: 'svc-oa:OA' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/ARCHIVE_SOURCE_SYSTEMS/);
  });
});
