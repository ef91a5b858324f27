import { defineMessages } from '../define'

/** The built-in notification receiver's panel (docs/compatibility/ngsi-v2.md §4.6). */
export const notifications = defineMessages({
  'notif.title': { en: 'Received notifications', 'pt-BR': 'Notificações recebidas' },
  'notif.intro': {
    en: 'Notifications of this tenant sent to a tutorial host name that does not resolve on this computer (http://context-provider:…). The built-in receiver takes them and answers 200, as the tutorial’s service would. Newest first.',
    'pt-BR': 'Notificações deste tenant enviadas a um nome de host dos tutoriais que não resolve neste computador (http://context-provider:…). O receptor embutido fica com elas e responde 200, como faria o serviço do tutorial. As mais novas primeiro.'
  },
  'notif.external': {
    en: 'The context broker is an external Orion: it sends its own notifications, so the built-in receiver gets none.',
    'pt-BR': 'O context broker é um Orion externo: ele mesmo envia as notificações, então o receptor embutido não recebe nenhuma.'
  },
  'notif.none': { en: 'No notification received yet.', 'pt-BR': 'Nenhuma notificação recebida ainda.' },
  'notif.loadFailed': { en: 'The received notifications could not be read: {message}', 'pt-BR': 'Não foi possível ler as notificações recebidas: {message}' },
  'notif.listLabel': { en: 'Received notifications, newest first', 'pt-BR': 'Notificações recebidas, as mais novas primeiro' },
  'notif.itemLabel': { en: 'Notification of {time}', 'pt-BR': 'Notificação das {time}' },
  'notif.time': { en: 'Received at', 'pt-BR': 'Recebida às' },
  'notif.subscription': { en: 'Subscription', 'pt-BR': 'Assinatura' },
  'notif.url': { en: 'URL', 'pt-BR': 'URL' },
  'notif.via': { en: 'Why here', 'pt-BR': 'Por que chegou aqui' },
  'notif.viaHost': {
    en: '{host} does not resolve on this computer, so the built-in receiver took it',
    'pt-BR': '{host} não resolve neste computador, então o receptor embutido ficou com ela'
  },
  'notif.tenant': { en: 'Tenant', 'pt-BR': 'Tenant' },
  'notif.defaultTenant': { en: '(default tenant)', 'pt-BR': '(tenant padrão)' },
  'notif.request': { en: 'Request received', 'pt-BR': 'Requisição recebida' },
  'notif.copy': { en: 'Copy the notification request', 'pt-BR': 'Copiar a requisição da notificação' },
  'notif.truncated': { en: '… (cut: {bytes} bytes in all)', 'pt-BR': '… (cortado: {bytes} bytes no total)' },
  'notif.announce': {
    en: '{n} new notification received | {n} new notifications received',
    'pt-BR': '{n} notificação nova recebida | {n} notificações novas recebidas'
  }
})
