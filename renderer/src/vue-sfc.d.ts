/**
 * What a single-file component module is to tools that do not compile .vue files (the type-aware
 * ESLint rules). vue-tsc and Vite resolve the real files, whose own types take precedence.
 */
declare module '*.vue' {
  import type { DefineComponent } from 'vue'

  const component: DefineComponent
  export default component
}
