import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { defaultConfig } from '../../electron/engine/config/defaults'
import { tempDir } from '../helpers/temp-dir'
import { brokerContract } from './broker.contract'
import { embeddedSetup } from './embedded-setup'

/**
 * The broker contract with authentication on: an ACL file that lets every client (anonymous, on
 * loopback) publish and receive everything, so that every message passes through the ACL hooks
 * (docs/compatibility/mqtt-broker.md §4) and the contract must hold unchanged.
 */
const dir = tempDir('ulcc-broker-acl-')
afterAll(() => dir.cleanup())
const aclFile = join(dir.path, 'acl')
writeFileSync(aclFile, '# everything, for every client without a user name\ntopic readwrite #\n')

brokerContract(
  'embedded (Aedes) with an ACL file',
  embeddedSetup(() => {
    const c = defaultConfig(dir.path)
    c.hosts = ['127.0.0.1']
    c.ports.mqtt = 0
    c.ports.mqttWs = 0
    c.mqtt = { mode: 'embedded', aclFile }
    return c
  })
)
