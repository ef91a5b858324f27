export declare const STAMP: string
export declare function newestSource(root: string, sources: readonly string[]): { mtimeMs: number; path?: string }
export declare function builtFrom(dir: string, file: string): number
export declare function writeStamp(dir: string, sourcesMtimeMs: number): void
export declare function runNodeScript(root: string, script: string, env: Record<string, string>, what: string): Promise<void>
export declare function swapIn(fresh: string, target: string): void
