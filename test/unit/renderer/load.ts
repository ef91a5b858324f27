/**
 * Loads a module of the renderer (renderer/src) the way Vitest loads any TypeScript file. Not a
 * static import: the renderer belongs to the web TypeScript project, which this (node) project
 * does not include; each test states the few types it uses.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const src = join(import.meta.dirname, '..', '..', '..', 'renderer', 'src')

export const rendererSrc = src

export async function loadRenderer<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(join(src, path)).href)) as T
}
