/**
 * Schema of `<dataDir>/settings.json`: defined once in shared/settings.ts, where the contract and
 * the GUI take their types from too.
 */
export { SettingsSchema as SettingsFile, type Settings as SettingsFileT } from '../../../shared/settings'
