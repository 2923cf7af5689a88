/**
 * The layering Cockpit keeps (README "How it fits together"), checked in CI by `npm run lint:deps`:
 * raw export → scripts/ pipeline → serving DB → server/ (read-only) → typed API → web/.
 * Parsed with swc: TypeScript 7 has no JavaScript compiler API, and swc tells `import type` apart.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle means two modules are one module: merge them or move what both need.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'server/domain/ (metrics, taxonomy, classifier, CX, potential, forecast) is plain TypeScript used by ' +
        'the pipeline and the server alike: it imports nothing above it. Node built-ins and the shipped ' +
        'data files (taxonomy, model) are allowed.',
      from: { path: '^server/domain/' },
      to: {
        pathNot: ['^server/domain/', '^data/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'web-takes-only-types-from-server',
      severity: 'error',
      comment: 'The browser bundle gets the API types from server/, never its code.',
      from: { path: '^web/' },
      to: { path: '^server/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'server-does-not-import-scripts-or-web',
      severity: 'error',
      comment: 'scripts/ (pipeline, benchmarks) and web/ sit above server/; the server never reaches up.',
      from: { path: '^server/' },
      to: { path: '^(scripts|web|tests)/' },
    },
    {
      name: 'only-tests-import-tests',
      severity: 'error',
      from: { pathNot: '^tests/' },
      to: { path: '^tests/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.tmp|tmp-scratch)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'],
    },
  },
};
