// import.meta.glob (engine-api.ts) and `?asset` imports are resolved by electron-vite at build time.
/// <reference types="vite/types/import-meta.d.ts" />

declare module '*?asset' {
  /** Absolute path of the file at run time (electron-vite copies it next to the bundle). */
  const path: string
  export default path
}
