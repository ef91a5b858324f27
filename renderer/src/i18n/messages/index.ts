/** Every translation source; each file covers one area of the GUI. */
import { classroom } from './classroom'
import { common } from './common'
import { device } from './device'
import { errors } from './errors'
import { history } from './history'
import { inspector } from './inspector'
import { lessons } from './lessons'
import { mqttUsers } from './mqtt-users'
import { notifications } from './notifications'
import { overview } from './overview'
import { provisioning } from './provisioning'
import { settings } from './settings'
import { simulator } from './simulator'
import { trace } from './trace'

export const allMessages = { ...common, ...overview, ...provisioning, ...device, ...inspector, ...simulator, ...settings, ...errors, ...trace, ...lessons, ...notifications, ...classroom, ...mqttUsers, ...history }
