import { deleteAttribute, getAttribute, getAttributeValue, putAttribute, putAttributeValue } from './handlers/attributes'
import { batchQuery, batchUpdate } from './handlers/batch'
import {
  appendAttrs,
  createEntity,
  deleteEntity,
  getEntity,
  getEntityAttrs,
  listEntities,
  replaceAttrs,
  updateAttrs
} from './handlers/entities'
import { entryPoints, notYet, version } from './handlers/misc'
import { createRegistration, deleteRegistration, getRegistration, listRegistrations, registrationParseError } from './handlers/registrations'
import { createSubscription, deleteSubscription, getSubscription, listSubscriptions, updateSubscription } from './handlers/subscriptions'
import { getType, listTypes } from './handlers/types'
import type { Route } from './router'

/** The NGSI-v2 service table, with Orion's `Allow` values for 405 answers. */
export const ROUTES: Route[] = [
  { pattern: ['v2'], allow: 'GET', methods: { GET: { handler: entryPoints } } },
  {
    pattern: ['v2', 'entities'],
    allow: 'POST, GET',
    methods: { GET: { handler: listEntities }, POST: { handler: createEntity, payload: 'json' } }
  },
  {
    pattern: ['v2', 'entities', '*'],
    allow: 'GET, DELETE',
    methods: { GET: { handler: getEntity }, DELETE: { handler: deleteEntity } }
  },
  {
    pattern: ['v2', 'entities', '*', 'attrs'],
    allow: 'GET, PATCH, POST, PUT',
    methods: {
      GET: { handler: getEntityAttrs },
      POST: { handler: appendAttrs, payload: 'json' },
      PATCH: { handler: updateAttrs, payload: 'json' },
      PUT: { handler: replaceAttrs, payload: 'json' }
    }
  },
  {
    pattern: ['v2', 'entities', '*', 'attrs', '*', 'value'],
    allow: 'GET, PUT',
    methods: { GET: { handler: getAttributeValue }, PUT: { handler: putAttributeValue, payload: 'value' } }
  },
  {
    pattern: ['v2', 'entities', '*', 'attrs', '*'],
    allow: 'GET, PUT, DELETE',
    methods: {
      GET: { handler: getAttribute },
      PUT: { handler: putAttribute, payload: 'json' },
      DELETE: { handler: deleteAttribute }
    }
  },
  { pattern: ['v2', 'types'], allow: 'GET', methods: { GET: { handler: listTypes } } },
  { pattern: ['v2', 'types', '*'], allow: 'GET', methods: { GET: { handler: getType } } },
  {
    pattern: ['v2', 'subscriptions'],
    allow: 'POST, GET',
    methods: { GET: { handler: listSubscriptions }, POST: { handler: createSubscription, payload: 'json' } }
  },
  {
    pattern: ['v2', 'subscriptions', '*'],
    allow: 'GET, DELETE, PATCH',
    methods: {
      GET: { handler: getSubscription },
      DELETE: { handler: deleteSubscription },
      PATCH: { handler: updateSubscription, payload: 'json' }
    }
  },
  {
    pattern: ['v2', 'registrations'],
    allow: 'POST, GET',
    methods: { GET: { handler: listRegistrations }, POST: { handler: createRegistration, payload: 'json', invalidJson: registrationParseError } }
  },
  {
    pattern: ['v2', 'registrations', '*'],
    allow: 'GET, DELETE',
    methods: { GET: { handler: getRegistration }, DELETE: { handler: deleteRegistration } }
  },
  { pattern: ['v2', 'op', 'update'], allow: 'POST', methods: { POST: { handler: batchUpdate, payload: 'json' } } },
  { pattern: ['v2', 'op', 'query'], allow: 'POST', methods: { POST: { handler: batchQuery, payload: 'json' } } },
  { pattern: ['v2', 'op', 'notify'], allow: 'POST', methods: { POST: { handler: notYet('notifications'), payload: 'json' } } },
  { pattern: ['version'], allow: 'GET', methods: { GET: { handler: version } } }
]
