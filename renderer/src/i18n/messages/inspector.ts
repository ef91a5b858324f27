import { defineMessages } from '../define'

export const inspector = defineMessages({
  'ins.topics': { en: 'Topics', 'pt-BR': 'Tópicos' },
  'ins.allTopics': { en: 'All', 'pt-BR': 'Todos' },
  'ins.noTopics': { en: 'No message yet.', 'pt-BR': 'Nenhuma mensagem ainda.' },
  'ins.treeCount': { en: 'messages: {n}', 'pt-BR': 'mensagens: {n}' },
  'ins.log': { en: 'Messages', 'pt-BR': 'Mensagens' },
  'ins.filterTopic': { en: 'Filter topics', 'pt-BR': 'Filtrar tópicos' },
  'ins.filterTopicHint': {
    en: 'Part of a topic, or an MQTT filter with + and #, for example ul/+/device001/attrs',
    'pt-BR': 'Parte de um tópico, ou um filtro MQTT com + e #, por exemplo ul/+/device001/attrs'
  },
  'ins.filterDevice': { en: 'Device id', 'pt-BR': 'Id do dispositivo' },
  'ins.errorsOnly': { en: 'Errors only', 'pt-BR': 'Só erros' },
  'ins.pause': { en: 'Pause', 'pt-BR': 'Pausar' },
  'ins.resume': { en: 'Resume', 'pt-BR': 'Retomar' },
  'ins.clear': { en: 'Clear', 'pt-BR': 'Limpar' },
  'ins.shown': { en: '{shown} of {total} messages', 'pt-BR': '{shown} de {total} mensagens' },
  'ins.rate': { en: '{r} messages/s', 'pt-BR': '{r} mensagens/s' },
  'ins.held': { en: 'paused: {n} of {limit} kept aside', 'pt-BR': 'pausado: {n} de {limit} guardadas' },
  'ins.missing': { en: '{n} more not shown', 'pt-BR': 'mais {n} não mostradas' },
  'ins.loadMissing': { en: 'Load them', 'pt-BR': 'Carregar' },
  'ins.trimmed': { en: '{n} older ones removed from this view', 'pt-BR': '{n} mais antigas removidas desta tela' },
  'ins.lost': { en: '{n} no longer available in the engine', 'pt-BR': '{n} não estão mais disponíveis no motor' },
  'ins.pickMessage': {
    en: 'Select a message to see it decoded and what the IoT Agent did with it.',
    'pt-BR': 'Selecione uma mensagem para vê-la decodificada e o que o Agente IoT fez com ela.'
  },
  'ins.detail': { en: 'Message', 'pt-BR': 'Mensagem' },
  'ins.copyPayload': { en: 'Copy the payload', 'pt-BR': 'Copiar o payload' },
  'ins.topic': { en: 'Topic', 'pt-BR': 'Tópico' },
  'ins.time': { en: 'Time', 'pt-BR': 'Horário' },
  'ins.from': { en: 'From', 'pt-BR': 'Origem' },
  'ins.size': { en: 'Size', 'pt-BR': 'Tamanho' },
  'ins.payload': { en: 'Payload', 'pt-BR': 'Conteúdo' },
  'ins.largePayload': { en: 'Large payload ({size}), collapsed.', 'pt-BR': 'Conteúdo grande ({size}), recolhido.' },
  'ins.showPayload': { en: 'Show it', 'pt-BR': 'Mostrar' },
  'ins.truncated': {
    en: 'The engine kept the first {kept} of this {size} payload; the rest is not shown anywhere.',
    'pt-BR': 'O motor guardou os primeiros {kept} deste conteúdo de {size}; o resto não é mostrado.'
  },
  'ins.decoded': { en: 'UltraLight 2.0, decoded', 'pt-BR': 'UltraLight 2.0, decodificado' },
  'ins.key': { en: 'Key', 'pt-BR': 'Chave' },
  'ins.value': { en: 'Value', 'pt-BR': 'Valor' },
  'ins.attribute': { en: 'Became attribute', 'pt-BR': 'Virou o atributo' },
  'ins.timestamp': { en: 'time', 'pt-BR': 'horário' },
  'ins.configAttribute': { en: 'Attribute', 'pt-BR': 'Atributo' },
  'ins.configurationValues': {
    en: 'Configuration values the agent sends to device {device} (the answer to its configuration request):',
    'pt-BR': 'Valores de configuração que o agente envia ao dispositivo {device} (a resposta ao seu pedido de configuração):'
  },
  'ins.configurationStamp': { en: "Agent's time stamp (dt): {stamp}", 'pt-BR': 'Carimbo de hora do agente (dt): {stamp}' },
  'ins.configurationRequest': {
    en: 'The device asks the agent for the current values of: {attrs}. The agent answers on …/configuration/values.',
    'pt-BR': 'O dispositivo pede ao agente os valores atuais de: {attrs}. O agente responde em …/configuration/values.'
  },
  'ins.configurationSubscribe': {
    en: 'The device asks to be sent every change of: {attrs}. The agent subscribes to them in the context broker and publishes each change on …/configuration/values.',
    'pt-BR': 'O dispositivo pede para receber toda mudança de: {attrs}. O agente assina essas mudanças no context broker e publica cada uma em …/configuration/values.'
  },
  'ins.configurationOther': {
    en: 'A configuration request of type "{type}", which the agent ignores (only configuration and subscription exist).',
    'pt-BR': 'Um pedido de configuração do tipo "{type}", que o agente ignora (só existem configuration e subscription).'
  },
  'ins.commandLine': {
    en: 'Command {command} for device {device}, value: {value}',
    'pt-BR': 'Comando {command} para o dispositivo {device}, valor: {value}'
  },
  'ins.agent': { en: 'What the IoT Agent did', 'pt-BR': 'O que o Agente IoT fez' },
  'ins.device': { en: 'Device', 'pt-BR': 'Dispositivo' },
  'ins.entity': { en: 'Entity', 'pt-BR': 'Entidade' },
  'ins.updated': { en: 'Attributes updated', 'pt-BR': 'Atributos atualizados' },
  'ins.notAgentTopic': {
    en: 'Not an IoT Agent topic: the agent ignored this message.',
    'pt-BR': 'Não é um tópico do Agente IoT: o agente ignorou esta mensagem.'
  },
  // Who published a message, its leg, what became of it, its badges.
  'ins.src.device': { en: 'Device', 'pt-BR': 'Dispositivo' },
  'ins.src.agentCommand': { en: 'Agent: command', 'pt-BR': 'Agente: comando' },
  'ins.src.agentConfiguration': { en: 'Agent: configuration', 'pt-BR': 'Agente: configuração' },
  'ins.src.simulator': { en: 'Simulator', 'pt-BR': 'Simulador' },
  'ins.src.gui': { en: 'Publish panel', 'pt-BR': 'Painel de publicação' },
  'ins.src.externalClient': { en: 'External client', 'pt-BR': 'Cliente externo' },
  'ins.src.agentOther': { en: 'This program', 'pt-BR': 'Este programa' },
  'ins.srcLong.device': { en: 'a device (an MQTT client on an IoT Agent topic)', 'pt-BR': 'um dispositivo (um cliente MQTT num tópico do Agente IoT)' },
  'ins.srcLong.agentCommand': { en: 'the IoT Agent: a command for the device', 'pt-BR': 'o Agente IoT: um comando para o dispositivo' },
  'ins.srcLong.agentConfiguration': { en: 'the IoT Agent: configuration values for the device', 'pt-BR': 'o Agente IoT: valores de configuração para o dispositivo' },
  'ins.srcLong.simulator': { en: 'a simulated device of this program', 'pt-BR': 'um dispositivo simulado deste programa' },
  'ins.srcLong.gui': { en: 'the publish panel of this window', 'pt-BR': 'o painel de publicação desta janela' },
  'ins.srcLong.externalClient': { en: 'another MQTT client (not on an IoT Agent topic)', 'pt-BR': 'outro cliente MQTT (fora dos tópicos do Agente IoT)' },
  'ins.srcLong.agentOther': { en: 'this program', 'pt-BR': 'este programa' },
  'ins.hopLabel': { en: 'Path', 'pt-BR': 'Caminho' },
  'ins.badges': { en: 'Marks', 'pt-BR': 'Marcas' },
  'ins.hop.deviceBroker': { en: 'device → broker', 'pt-BR': 'dispositivo → broker' },
  'ins.hop.agentDevice': { en: 'IoT Agent → device', 'pt-BR': 'Agente IoT → dispositivo' },
  'ins.hop.clientBroker': { en: 'client → broker', 'pt-BR': 'cliente → broker' },
  'ins.hop.engineBroker': { en: 'this program → broker', 'pt-BR': 'este programa → broker' },
  'ins.viaRemote': { en: '(through the external broker)', 'pt-BR': '(pelo broker externo)' },
  'ins.verdict.measure': { en: 'Accepted as a measure.', 'pt-BR': 'Aceita como medida.' },
  'ins.verdict.commandResult': { en: 'Accepted as a command result.', 'pt-BR': 'Aceita como resultado de comando.' },
  'ins.verdict.configuration': { en: 'Accepted as a configuration request.', 'pt-BR': 'Aceita como pedido de configuração.' },
  'ins.verdict.rejected': { en: 'Rejected by the IoT Agent.', 'pt-BR': 'Rejeitada pelo Agente IoT.' },
  'ins.verdict.agentCommand': {
    en: 'Published by the IoT Agent: a command sent to the device.',
    'pt-BR': 'Publicada pelo Agente IoT: um comando enviado ao dispositivo.'
  },
  'ins.verdict.agentConfiguration': {
    en: 'Published by the IoT Agent: configuration values sent to the device.',
    'pt-BR': 'Publicada pelo Agente IoT: valores de configuração enviados ao dispositivo.'
  },
  'ins.badge.autoprovisioned': { en: 'autoprovisioned', 'pt-BR': 'autoprovisionado' },
  'ins.badge.unprovisioned': { en: 'unprovisioned', 'pt-BR': 'não provisionado' },
  'ins.badge.json': { en: 'JSON', 'pt-BR': 'JSON' },
  'ins.badgeHint.autoprovisioned': {
    en: 'The device was created by the IoT Agent when it first published (autoprovisioning).',
    'pt-BR': 'O dispositivo foi criado pelo Agente IoT na sua primeira publicação (autoprovisionamento).'
  },
  'ins.badgeHint.unprovisioned': {
    en: 'No device is provisioned for this message and the IoT Agent cannot create one.',
    'pt-BR': 'Nenhum dispositivo está provisionado para esta mensagem e o Agente IoT não pode criar um.'
  },
  'ins.badgeHint.json': {
    en: 'The payload is JSON, not UltraLight 2.0.',
    'pt-BR': 'O conteúdo é JSON, não UltraLight 2.0.'
  },
  'ins.commandResult': {
    en: 'Result of command {command} from device {device}: {result}',
    'pt-BR': 'Resultado do comando {command} do dispositivo {device}: {result}'
  },
  'ins.commandResultNone': {
    en: 'Answer to command {command} from device {device}, without a result',
    'pt-BR': 'Resposta ao comando {command} do dispositivo {device}, sem resultado'
  },
  'ins.publishAccepted': { en: 'Published on {topic}; the IoT Agent accepted it.', 'pt-BR': 'Publicado em {topic}; o Agente IoT aceitou.' },
  'ins.publishRejected': { en: 'Rejected by the agent: {reason} ({code})', 'pt-BR': 'Rejeitado pelo agente: {reason} ({code})' },
  'ins.publish': { en: 'Publish a message', 'pt-BR': 'Publicar uma mensagem' },
  'ins.publishButton': { en: 'Publish', 'pt-BR': 'Publicar' },
  'ins.published': { en: 'Published on {topic}.', 'pt-BR': 'Publicado em {topic}.' },
  'ins.noWildcards': { en: 'A topic to publish on cannot contain + or #.', 'pt-BR': 'Um tópico de publicação não pode conter + ou #.' },
  'ins.retainHint': {
    en: 'The broker keeps a retained message and gives it to every new subscriber; publish an empty retained message to remove it.',
    'pt-BR': 'O broker guarda uma mensagem retida e a entrega a cada novo assinante; publique uma mensagem retida vazia para removê-la.'
  },
  'ins.saveName': { en: 'Name for this message', 'pt-BR': 'Nome para esta mensagem' },
  'ins.savePayload': { en: 'Save', 'pt-BR': 'Salvar' },
  // Search, export, back to live, retained messages, publish history.
  'ins.search': { en: 'Search topics and payloads', 'pt-BR': 'Buscar em tópicos e conteúdos' },
  'ins.searchHint': {
    en: 'Text found in the topic or in the payload, upper or lower case alike',
    'pt-BR': 'Texto presente no tópico ou no conteúdo, sem diferenciar maiúsculas de minúsculas'
  },
  'ins.exportJson': { en: 'Export JSON', 'pt-BR': 'Exportar JSON' },
  'ins.exportCsv': { en: 'Export CSV', 'pt-BR': 'Exportar CSV' },
  'ins.exportHint': { en: 'Saves the {n} messages shown, with the current filters', 'pt-BR': 'Salva as {n} mensagens mostradas, com os filtros atuais' },
  'ins.backToLive': {
    en: '↓ {n} new message · back to live | ↓ {n} new messages · back to live',
    'pt-BR': '↓ {n} nova mensagem · voltar ao vivo | ↓ {n} novas mensagens · voltar ao vivo'
  },
  'ins.backToLiveNone': { en: '↓ Back to live', 'pt-BR': '↓ Voltar ao vivo' },
  'ins.notLive': { en: 'The log is no longer following new messages.', 'pt-BR': 'O log deixou de acompanhar as novas mensagens.' },
  'ins.treeChildren': { en: '{n} subtopic | {n} subtopics', 'pt-BR': '{n} subtópico | {n} subtópicos' },
  'ins.views': { en: 'Inspector views', 'pt-BR': 'Visões do inspetor' },
  'ins.tabLog': { en: 'Messages', 'pt-BR': 'Mensagens' },
  'ins.tabRetained': { en: 'Retained', 'pt-BR': 'Retidas' },
  'ins.ret.title': { en: 'Retained messages', 'pt-BR': 'Mensagens retidas' },
  'ins.ret.sourceBroker': {
    en: 'Held by the embedded broker: every retained message it keeps for new subscribers.',
    'pt-BR': 'Guardadas pelo broker embutido: todas as mensagens retidas que ele entrega a novos assinantes.'
  },
  'ins.ret.sourceSeen': {
    en: "Seen by this program's connection to the external broker (retained messages received when subscribing, and those it published). The broker may hold others.",
    'pt-BR': 'Vistas pela conexão deste programa com o broker externo (mensagens retidas recebidas ao assinar e as que ele publicou). O broker pode guardar outras.'
  },
  'ins.ret.none': { en: 'No retained message.', 'pt-BR': 'Nenhuma mensagem retida.' },
  'ins.ret.more': { en: 'Only the first {n} are listed.', 'pt-BR': 'Só as primeiras {n} estão na lista.' },
  'ins.ret.count': { en: '{n} retained message | {n} retained messages', 'pt-BR': '{n} mensagem retida | {n} mensagens retidas' },
  'ins.ret.show': { en: 'Filter the log', 'pt-BR': 'Filtrar o log' },
  'ins.ret.showLabel': { en: 'Show the messages of {topic} in the log', 'pt-BR': 'Mostrar no log as mensagens de {topic}' },
  'ins.ret.clear': { en: 'Clear', 'pt-BR': 'Apagar' },
  'ins.ret.clearLabel': { en: 'Clear the retained message of {topic}', 'pt-BR': 'Apagar a mensagem retida de {topic}' },
  'ins.ret.clearTitle': { en: 'Clear this retained message?', 'pt-BR': 'Apagar esta mensagem retida?' },
  'ins.ret.clearMessage': {
    en: 'An empty retained message will be published on {topic}. The broker then forgets the retained message, and new subscribers no longer receive it.',
    'pt-BR': 'Uma mensagem retida vazia será publicada em {topic}. O broker então descarta a mensagem retida, e novos assinantes deixam de recebê-la.'
  },
  'ins.ret.cleared': { en: 'Retained message of {topic} cleared.', 'pt-BR': 'Mensagem retida de {topic} apagada.' },
  'ins.ret.seenAt': { en: 'seen at {time}', 'pt-BR': 'vista às {time}' },
  'ins.history': { en: 'Recently published', 'pt-BR': 'Publicadas recentemente' },
  'ins.historyUse': { en: 'Fill the form with: {topic} {payload}', 'pt-BR': 'Preencher o formulário com: {topic} {payload}' }
})
