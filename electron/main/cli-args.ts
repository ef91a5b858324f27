import { CLI_OPTIONS } from '../engine/config/load'

/**
 * Keeps from Electron's command line only the engine's own flags (those of `serve`, such as
 * `--ngsi-port 1027` or `--data-dir=/tmp/x`), in the form parseCli accepts. Everything else is
 * dropped: Chromium and Electron switches (`--no-sandbox`, `--remote-debugging-port=0`,
 * `--inspect`), the app path Electron puts in argv, and anything a desktop launcher adds.
 */
export function engineArgs(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const m = /^--([a-z][a-z-]*)(=.*)?$/.exec(arg)
    if (!m) continue
    const name = m[1]!
    if (!Object.hasOwn(CLI_OPTIONS, name) || name === 'help') continue
    const option = CLI_OPTIONS[name as keyof typeof CLI_OPTIONS]
    if (option.type === 'boolean' || m[2] !== undefined) {
      out.push(arg)
    } else if (i + 1 < argv.length) {
      out.push(arg, argv[++i]!)
    }
  }
  return out
}
