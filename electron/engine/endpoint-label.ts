/**
 * The lines `serve` prints for its addresses, hints and the GUI: a name column wide enough for the
 * longest endpoint name ("IoT Agent UltraLight north API", "MQTT broker (secure WebSocket)"), then
 * the text, so that the addresses line up.
 */
export const LABEL_COLUMN = 30

export function labelled(name: string, text: string): string {
  return `${name.padEnd(LABEL_COLUMN)} ${text}`
}
