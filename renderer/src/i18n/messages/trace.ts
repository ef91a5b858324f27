import { defineMessages } from '../define'

/** The trace view: one sentence per hop of a measure or a command. */
export const trace = defineMessages({
  'trace.show': { en: 'Show the trace', 'pt-BR': 'Ver o rastro' },
  'trace.title': { en: 'Trace #{id}', 'pt-BR': 'Rastro nº {id}' },
  'trace.titleMeasure': { en: 'Trace of a measure', 'pt-BR': 'Rastro de uma medida' },
  'trace.titleCommand': { en: 'Timeline of the command', 'pt-BR': 'Linha do tempo do comando' },
  'trace.titleRequest': { en: 'Trace of a request', 'pt-BR': 'Rastro de uma requisição' },
  'trace.hops': { en: 'Hops, in order', 'pt-BR': 'Etapas, em ordem' },
  'trace.loading': { en: 'Loading the trace…', 'pt-BR': 'Carregando o rastro…' },
  'trace.unknown': {
    en: 'This trace is no longer kept (or was not recorded: the engine records traces while the inspector or the device page is open).',
    'pt-BR': 'Este rastro não está mais guardado (ou não foi gravado: o motor grava rastros enquanto o inspetor ou a página do dispositivo está aberta).'
  },
  'trace.none': { en: 'No trace recorded yet.', 'pt-BR': 'Nenhum rastro gravado ainda.' },
  'trace.raw': { en: 'Raw frame', 'pt-BR': 'Quadro bruto' },
  'trace.exportJson': { en: 'Export as JSON', 'pt-BR': 'Exportar como JSON' },
  'trace.exportCommands': { en: 'Commands that reproduce it', 'pt-BR': 'Comandos que o reproduzem' },
  'trace.noCommands': { en: 'Nothing in this trace can be replayed with a command.', 'pt-BR': 'Nada neste rastro pode ser repetido com um comando.' },
  'trace.copyCommands': { en: 'Copy the commands', 'pt-BR': 'Copiar os comandos' },
  'trace.lastMeasure': { en: 'Trace of the last measure', 'pt-BR': 'Rastro da última medida' },
  'trace.commandTimeline': { en: 'Timeline of {c}', 'pt-BR': 'Linha do tempo de {c}' },
  'trace.ok': { en: 'succeeded', 'pt-BR': 'sucesso' },
  'trace.fail': { en: 'failed', 'pt-BR': 'falhou' },
  'trace.waiting': { en: 'waiting', 'pt-BR': 'aguardando' },
  'trace.info': { en: 'step', 'pt-BR': 'etapa' },
  'trace.in': { en: 'in {ms} ms', 'pt-BR': 'em {ms} ms' },

  'hop.received': {
    en: 'The broker received the message on {topic} (QoS {qos}, {bytes} bytes) from client {client}.',
    'pt-BR': 'O broker recebeu a mensagem em {topic} (QoS {qos}, {bytes} bytes) do cliente {client}.'
  },
  'hop.receivedAnon': {
    en: 'The broker received the message on {topic} (QoS {qos}, {bytes} bytes).',
    'pt-BR': 'O broker recebeu a mensagem em {topic} (QoS {qos}, {bytes} bytes).'
  },
  'hop.parsed': {
    en: 'The agent parsed the topic: API key {apikey}, device {device}, {kind}.',
    'pt-BR': 'O agente interpretou o tópico: chave de API {apikey}, dispositivo {device}, {kind}.'
  },
  'hop.resolved': {
    en: 'The agent found device {device} ({outcome}), entity {entity}.',
    'pt-BR': 'O agente encontrou o dispositivo {device} ({outcome}), entidade {entity}.'
  },
  'hop.resolvedRejected': { en: 'The agent did not accept the message: {reason}.', 'pt-BR': 'O agente não aceitou a mensagem: {reason}.' },
  'hop.provisioned': { en: 'provisioned', 'pt-BR': 'provisionado' },
  'hop.autoprovisioned': { en: 'created automatically', 'pt-BR': 'criado automaticamente' },
  'hop.decoded': { en: 'The agent decoded the UltraLight payload: {pairs}.', 'pt-BR': 'O agente decodificou o payload UltraLight: {pairs}.' },
  'hop.mapped': {
    en: 'The agent mapped the measures to entity {entity} ({type}): {attrs}.',
    'pt-BR': 'O agente mapeou as medidas para a entidade {entity} ({type}): {attrs}.'
  },
  'hop.updateEmbedded': {
    en: 'The context broker updated {entity}. Changed: {changed}. Written: {written}.',
    'pt-BR': 'O context broker atualizou {entity}. Alterados: {changed}. Gravados: {written}.'
  },
  'hop.updateExternal': {
    en: 'Update sent to Orion: {method} {url} → {status} in {ms} ms.',
    'pt-BR': 'Atualização enviada ao Orion: {method} {url} → {status} em {ms} ms.'
  },
  'hop.queued': { en: 'The update waits in the queue to Orion ({n} entities).', 'pt-BR': 'A atualização aguarda na fila para o Orion ({n} entidades).' },
  'hop.notification': {
    en: 'Notification of subscription {sub} sent to {url} → {status}.',
    'pt-BR': 'Notificação da assinatura {sub} enviada a {url} → {status}.'
  },
  'hop.notificationBuiltIn': {
    en: 'Notification of subscription {sub} to {url} → {status}: the built-in receiver got it, because {host} does not resolve on this computer.',
    'pt-BR': 'Notificação da assinatura {sub} para {url} → {status}: quem a recebeu foi o receptor embutido, porque {host} não resolve neste computador.'
  },
  'hop.rejected': { en: 'Rejected: {code} ({message}).', 'pt-BR': 'Rejeitada: {code} ({message}).' },
  'hop.request': { en: 'The context broker received {method} {url}.', 'pt-BR': 'O context broker recebeu {method} {url}.' },
  'hop.requestGui': {
    en: "This program's command button sent {method} {url} to the context broker, as any of its clients would.",
    'pt-BR': 'O botão de comando deste programa enviou {method} {url} ao context broker, como faria qualquer cliente dele.'
  },
  'hop.registration': {
    en: 'Registration {reg} says {attrs} of {entity} belong to the provider {provider}.',
    'pt-BR': 'O registro {reg} diz que {attrs} de {entity} pertencem ao provedor {provider}.'
  },
  'hop.forwarded': {
    en: 'The context broker forwarded the update to the provider {provider}: {method} {url} → {status} in {ms} ms.',
    'pt-BR': 'O context broker repassou a atualização ao provedor {provider}: {method} {url} → {status} em {ms} ms.'
  },
  'hop.providerRequest': { en: 'The agent received {method} {url}.', 'pt-BR': 'O agente recebeu {method} {url}.' },
  'hop.published': {
    en: 'The agent published command {command} for {device} on {topic}: {payload}.',
    'pt-BR': 'O agente publicou o comando {command} para {device} em {topic}: {payload}.'
  },
  'hop.pending': {
    en: 'The command {command} of {entity} is PENDING: waiting for the device.',
    'pt-BR': 'O comando {command} de {entity} está PENDING: aguardando o dispositivo.'
  },
  'hop.reply': { en: 'The device answered on {topic}: {payload}.', 'pt-BR': 'O dispositivo respondeu em {topic}: {payload}.' },
  'hop.deviceRequest': {
    en: 'The agent sent command {command} to {device} at {url} → {status} in {ms} ms{answer}.',
    'pt-BR': 'O agente enviou o comando {command} a {device} em {url} → {status} em {ms} ms{answer}.'
  },
  'hop.deviceRequestVia': {
    en: 'The agent sent command {command} to {device} at {url} → {status} in {ms} ms{answer}. {via}.',
    'pt-BR': 'O agente enviou o comando {command} a {device} em {url} → {status} em {ms} ms{answer}. {via}.'
  },
  'hop.delivered': {
    en: 'The device {device} fetched command {command} (getCmd=1): {payload}. Status DELIVERED.',
    'pt-BR': 'O dispositivo {device} buscou o comando {command} (getCmd=1): {payload}. Status DELIVERED.'
  },
  'hop.result': { en: 'Result of {command}: {status}{info}.', 'pt-BR': 'Resultado de {command}: {status}{info}.' },
  'hop.response': { en: 'Answer to the request: {status}.', 'pt-BR': 'Resposta à requisição: {status}.' },
  'hop.notificationRouted': {
    en: 'Notification of subscription {sub} to {url} → {status}: {host} does not resolve on this computer, so it went to the built-in {service} ({to}).',
    'pt-BR': 'Notificação da assinatura {sub} para {url} → {status}: {host} não resolve neste computador, então ela foi para o serviço embutido: {service} ({to}).'
  },
  'hop.forwardedRouted': {
    en: 'The context broker forwarded the update: {method} {url} → {status} in {ms} ms. {host} does not resolve on this computer, so it went to the built-in {service} ({to}).',
    'pt-BR': 'O context broker repassou a atualização: {method} {url} → {status} em {ms} ms. {host} não resolve neste computador, então ela foi para o serviço embutido: {service} ({to}).'
  },
  // The built-in services the tutorials' host names stand for (docs/compatibility/tutorial-services.md §2).
  'tutorialService.ngsi': { en: 'NGSI-v2 context broker', 'pt-BR': 'context broker NGSI-v2' },
  'tutorialService.north': { en: 'IoT Agent UltraLight north API', 'pt-BR': 'API norte do IoT Agent UltraLight' },
  'tutorialService.jsonNorth': { en: 'IoT Agent JSON north API', 'pt-BR': 'API norte do IoT Agent JSON' },
  'tutorialService.south': { en: 'IoT Agents HTTP south port', 'pt-BR': 'porta sul HTTP dos IoT Agents' },
  'tutorialService.contextProvider': { en: 'context provider', 'pt-BR': 'provedor de contexto' },
  'tutorialService.devices': { en: 'HTTP devices', 'pt-BR': 'dispositivos HTTP' },
  'tutorialService.cygnus': { en: 'Cygnus notification sink', 'pt-BR': 'receptor de notificações do Cygnus' },
  'tutorialService.cygnusApi': { en: 'Cygnus API', 'pt-BR': 'API do Cygnus' },
  'tutorialService.sth': { en: 'STH-Comet API', 'pt-BR': 'API do STH-Comet' }
})
