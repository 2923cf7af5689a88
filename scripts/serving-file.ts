/**
 * What `npm start` does with the serving database it finds, decided from facts read off the file:
 * serve it, build the demo, rebuild the demo, or refuse with what to run. Only a build of the demo
 * bundle is ever removed: a database of the user's own — at COCKPIT_DB or at the default path, where
 * `npm run pipeline` writes without `--db` — is never deleted, whatever version built it.
 */

export interface ServingFileFacts {
  path: string;
  exists: boolean;
  /** why the file is no SQLite database (null: it is one, or there is none) */
  notDatabase: string | null;
  isFolder: boolean;
  /** a file of 0 bytes */
  empty: boolean;
  /** the path is data/cockpit.db, where the demo lives */
  atDefaultPath: boolean;
  /** the build's `meta.source` is the demo bundle's folder */
  demoBuild: boolean;
  /** `meta.source`: the export it was built from, when recorded */
  source: string | null;
  schemaVersion: number | null;
  /** the schema version this checkout reads and writes */
  currentSchema: number;
  /** labelled by the shipped taxonomy and classifier */
  labelsCurrent: boolean;
}

export type ServingFileDecision =
  | { do: 'serve' }
  | { do: 'build-demo'; say: string | null }
  | { do: 'rebuild-demo'; say: string }
  | { do: 'refuse'; say: string };

/** `meta.source` names the demo bundle: this checkout's, or a moved checkout's `data/demo`. */
export function isDemoSource(source: unknown, demoDir: string): boolean {
  if (typeof source !== 'string') return false;
  const trimmed = source.replace(/[\\/]+$/, '');
  return trimmed === demoDir.replace(/[\\/]+$/, '') || /[\\/]data[\\/]demo$/.test(trimmed);
}

export function servingFileDecision(f: ServingFileFacts): ServingFileDecision {
  if (!f.exists)
    return {
      do: 'build-demo',
      // SPEC §6: the demo is built where COCKPIT_DB points when nothing is there; said loudly, since
      // a mistyped path to one's own database would otherwise pass for it
      say: f.atDefaultPath
        ? null
        : `COCKPIT_DB points to ${f.path}, which does not exist: building the demo database there (for your own data: npm run pipeline -- --input <bundle> --db ${f.path})`,
    };
  if (f.notDatabase) {
    // only an empty file at the demo's path is replaced: a folder (a mount point, someone's files) or
    // any other file (a database with a damaged header, a file put there by hand) is left as it is
    if (f.atDefaultPath && f.empty)
      return { do: 'rebuild-demo', say: `the demo database ${f.notDatabase}: rebuilding it…` };
    return {
      do: 'refuse',
      say: f.atDefaultPath
        ? `cannot start: ${f.path} ${f.notDatabase}; move it away and npm start builds the demo there, or point COCKPIT_DB at a database npm run pipeline built`
        : `cannot start: ${f.path} ${f.notDatabase}; point COCKPIT_DB at a database npm run pipeline built`,
    };
  }
  const demo = f.atDefaultPath && f.demoBuild;
  if (f.schemaVersion !== f.currentSchema) {
    if (demo)
      return { do: 'rebuild-demo', say: 'the demo database was built by another version: rebuilding it…' };
    // --name and --vertical name the account of a single export file; a bundle names its own
    const rebuild = `npm run pipeline -- --input ${f.source ?? '<bundle or export file>'} --db ${f.path}${
      f.source && /\.(jsonl|json|csv|tsv|gz|txt)$/i.test(f.source)
        ? ' (with the --name and --vertical you gave it)'
        : ''
    }`;
    const newer = f.schemaVersion !== null && f.schemaVersion > f.currentSchema;
    return {
      do: 'refuse',
      say: newer
        ? `${f.path} was built by a newer version of Cockpit (schema ${f.schemaVersion}; this one reads ${f.currentSchema}): update this checkout (git pull, npm install), or rebuild it with this one: ${rebuild}`
        : `${f.path} was built by an older version of Cockpit${f.schemaVersion === null ? '' : ` (schema ${f.schemaVersion}; this one reads ${f.currentSchema})`}: rebuild it with ${rebuild}`,
    };
  }
  // the demo shows what the shipped model does; a user's database keeps the labels it was built with
  if (demo && !f.labelsCurrent)
    return {
      do: 'rebuild-demo',
      say: 'the demo database was labelled by another taxonomy or classifier: rebuilding it…',
    };
  return { do: 'serve' };
}
