/**
 * The embedded MQTT broker's users and ACL as the settings page manages them: Mosquitto's own
 * password and ACL files (docs/compatibility/mqtt-broker.md). Never a password hash.
 */

/** One problem of an ACL text, with its line (1-based). */
export interface AclProblemDto {
  line: number
  message: string
}

/** What `mqttAuth.get` answers. */
export interface MqttAuthFilesDto {
  /** False with an external broker: its users are managed where it runs. */
  embedded: boolean
  /** The password file the settings name (in force, or saved for the next start); absent when none. */
  passwordFile?: string
  aclFile?: string
  /** Whether a flag or an environment variable fixes the file's path. */
  fixed: { passwordFile: boolean; aclFile: boolean }
  /** Whether the saved file differs from the one in force (a restart applies it). */
  restartRequired: { passwordFile: boolean; aclFile: boolean }
  /** The password file's user names, in file order. */
  users: string[]
  /** The ACL file's text ('' when there is none). */
  aclText: string
  /** Problems of the files as they are now (a password line left out; ACL lines Mosquitto would refuse). */
  problems: string[]
}

/** What writing a file answers: the file written, and whether it is used only after a restart. */
export interface MqttAuthWriteDto {
  file: string
  restartRequired: boolean
}

/** What `mqttAuth.checkAcl` answers: the problems (the text cannot be saved while there are any) and remarks. */
export interface AclCheckDto {
  problems: AclProblemDto[]
  remarks: AclProblemDto[]
  /** `topic` and `pattern` lines. */
  lines: number
}
