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
  'ins.fromClient': { en: 'an MQTT client (a device)', 'pt-BR': 'um cliente MQTT (um dispositivo)' },
  'ins.fromEngine': { en: 'this program (the IoT Agent or a simulated device)', 'pt-BR': 'este programa (o Agente IoT ou um dispositivo simulado)' },
  'ins.fromRemote': { en: 'the external broker', 'pt-BR': 'o broker externo' },
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
  'ins.publish': { en: 'Publish a message', 'pt-BR': 'Publicar uma mensagem' },
  'ins.publishButton': { en: 'Publish', 'pt-BR': 'Publicar' },
  'ins.published': { en: 'Published on {topic}.', 'pt-BR': 'Publicado em {topic}.' },
  'ins.noWildcards': { en: 'A topic to publish on cannot contain + or #.', 'pt-BR': 'Um tópico de publicação não pode conter + ou #.' },
  'ins.retainHint': {
    en: 'The broker keeps a retained message and gives it to every new subscriber; publish an empty retained message to remove it.',
    'pt-BR': 'O broker guarda uma mensagem retida e a entrega a cada novo assinante; publique uma mensagem retida vazia para removê-la.'
  },
  'ins.saveName': { en: 'Name for this message', 'pt-BR': 'Nome para esta mensagem' },
  'ins.savePayload': { en: 'Save', 'pt-BR': 'Salvar' }
})
