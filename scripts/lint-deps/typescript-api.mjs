/**
 * dependency-cruiser reads TypeScript through the TypeScript compiler's JavaScript API, which
 * TypeScript 7 (the project's compiler, a native binary) no longer ships. Only for the import-graph
 * check, its `typescript` is answered by TypeScript 5 (the `typescript-5` alias in devDependencies):
 * both its ESM import and its CommonJS version probe are redirected; nothing else is touched.
 */
import Module, { register } from 'node:module';

const FROM_CRUISER = /[\\/]node_modules[\\/]dependency-cruiser[\\/]/;
const redirect = (specifier) => specifier.replace(/^typescript(?=$|\/)/, 'typescript-5');

register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      const fromCruiser = ${FROM_CRUISER}.test(context.parentURL ?? '');
      return next(fromCruiser ? specifier.replace(/^typescript(?=$|\\/)/, 'typescript-5') : specifier, context);
    }`)}`,
);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const fromCruiser = FROM_CRUISER.test(parent?.filename ?? '');
  return resolveFilename.call(this, fromCruiser ? redirect(request) : request, parent, ...rest);
};
