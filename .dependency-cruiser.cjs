/**
 * The import rules of the app (README: "Layout"), checked by `npm test` (npm run lint:deps):
 * the core is plain TypeScript that imports no SDK, adapters and no platform module; adapters
 * never reach up into platform or the triggers; triggers never touch an adapter; no cycles.
 */
const TRIGGERS = '(^|/)functions/(http|timers|events)/';
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-sdk',
      comment: 'functions/core is plain TypeScript: zod and node: built-ins only; SDKs belong in functions/adapters.',
      severity: 'error',
      from: { path: '(^|/)functions/core/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: '(^|/)node_modules/zod/' },
    },
    {
      name: 'core-imports-only-core',
      comment: 'The core knows no adapter, platform module or trigger: they depend on it, not the other way round.',
      severity: 'error',
      from: { path: '(^|/)functions/core/' },
      to: { path: '(^|/)functions/(adapters|platform|http|timers|events)/' },
    },
    {
      name: 'adapters-never-import-platform',
      comment: 'Adapters implement core ports; platform composes them, so they must not import platform or triggers.',
      severity: 'error',
      from: { path: '(^|/)functions/adapters/' },
      to: { path: '(^|/)functions/(platform|http|timers|events)/' },
    },
    {
      name: 'triggers-never-import-adapters',
      comment: 'Triggers reach adapters only through the services platform wires.',
      severity: 'error',
      from: { path: TRIGGERS },
      to: { path: '(^|/)functions/adapters/' },
    },
    {
      name: 'no-cycles',
      comment: 'A cycle (type-only ones too) means two modules are one thing or a type is in the wrong place.',
      severity: 'error',
      from: { path: '(^|/)functions/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
