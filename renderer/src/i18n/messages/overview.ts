import { defineMessages } from '../define'

export const overview = defineMessages({
  'overview.devices': { en: 'Devices', 'pt-BR': 'Dispositivos' },
  'overview.provisioned': { en: 'provisioned, all services', 'pt-BR': 'provisionados, todos os serviços' },
  'overview.simulated': { en: 'Simulated now', 'pt-BR': 'Simulados agora' },
  'overview.groups': { en: 'Service groups', 'pt-BR': 'Grupos de serviço' },
  'overview.autoprovisioned': { en: 'Autoprovisioned', 'pt-BR': 'Autoprovisionados' },
  'overview.broker': { en: 'MQTT broker', 'pt-BR': 'Broker MQTT' },
  'overview.agent': { en: 'IoT Agent (UltraLight)', 'pt-BR': 'Agente IoT (UltraLight)' },
  'overview.jsonAgent': { en: 'IoT Agent JSON', 'pt-BR': 'Agente IoT JSON' },
  'overview.contextBroker': { en: 'Context broker (NGSI-v2)', 'pt-BR': 'Context broker (NGSI-v2)' },
  'overview.state.listening': { en: 'listening', 'pt-BR': 'escutando' },
  'overview.state.notListening': { en: 'not listening', 'pt-BR': 'sem escutar' },
  'overview.state.running': { en: 'running', 'pt-BR': 'funcionando' },
  'overview.state.connected': { en: 'connected', 'pt-BR': 'conectado' },
  'overview.state.disconnected': { en: 'not connected', 'pt-BR': 'desconectado' },
  'overview.state.reachable': { en: 'reachable', 'pt-BR': 'acessível' },
  'overview.state.unreachable': { en: 'unreachable', 'pt-BR': 'inacessível' },
  'overview.state.checking': { en: 'checking…', 'pt-BR': 'verificando…' },
  'overview.state.stopped': { en: 'stopped', 'pt-BR': 'parado' },
  'overview.state.absent': { en: 'absent', 'pt-BR': 'ausente' },
  'overview.state.partial': { en: 'partly listening', 'pt-BR': 'escutando em parte' },
  'overview.northPort': { en: 'north', 'pt-BR': 'norte' },
  'overview.southPort': { en: 'south (HTTP, shared)', 'pt-BR': 'sul (HTTP, compartilhada)' },
  'overview.portAbsent': { en: 'not listening', 'pt-BR': 'sem escutar' },
  'overview.history': { en: 'History (Cygnus + STH-Comet)', 'pt-BR': 'Histórico (Cygnus + STH-Comet)' },
  'overview.sink': { en: 'Cygnus sink', 'pt-BR': 'Receptor do Cygnus' },
  'overview.cygnusApi': { en: 'Cygnus API', 'pt-BR': 'API do Cygnus' },
  'overview.sthApi': { en: 'STH-Comet API', 'pt-BR': 'API do STH-Comet' },
  'overview.notificationsShort': { en: 'notifications', 'pt-BR': 'notificações' },
  'overview.openHistory': { en: 'Open the history', 'pt-BR': 'Abrir o histórico' },
  'overview.state.since': { en: 'since {time}', 'pt-BR': 'desde {time}' },
  'overview.state.lastError': { en: 'Last error ({time}): {error}', 'pt-BR': 'Último erro ({time}): {error}' },
  'overview.state.of': { en: '{component}: {state}', 'pt-BR': '{component}: {state}' },
  'overview.embedded': { en: 'built in', 'pt-BR': 'embutido' },
  'overview.external': { en: 'external', 'pt-BR': 'externo' },
  'overview.clients': { en: 'Connected clients', 'pt-BR': 'Clientes conectados' },
  'overview.clientsOfWhich': { en: '{n} ({simulated} simulated)', 'pt-BR': '{n} ({simulated} simulados)' },
  'overview.refusedConnects': { en: 'Refused connections', 'pt-BR': 'Conexões recusadas' },
  'overview.refusedAuth': { en: '{n} not authorized (user name or password)', 'pt-BR': '{n} sem autorização (usuário ou senha)' },
  'overview.refusedProtocol': { en: '{n} with an MQTT version this broker does not serve: it serves 3.1, 3.1.1 and 5', 'pt-BR': '{n} com uma versão do MQTT que este broker não atende: ele atende 3.1, 3.1.1 e 5' },
  'overview.refusedMalformed': { en: '{n} without a valid CONNECT packet', 'pt-BR': '{n} sem um pacote CONNECT válido' },
  'overview.cbVersion': { en: 'Orion version', 'pt-BR': 'Versão do Orion' },
  'overview.cbLastAnswer': { en: 'Last answer', 'pt-BR': 'Última resposta' },
  'overview.in': { en: 'Received', 'pt-BR': 'Recebidas' },
  'overview.out': { en: 'Delivered', 'pt-BR': 'Entregues' },
  'overview.measures': { en: 'Measures', 'pt-BR': 'Medidas' },
  'overview.updates': { en: 'Entity updates', 'pt-BR': 'Atualizações de entidade' },
  'overview.commands': { en: 'Commands sent', 'pt-BR': 'Comandos enviados' },
  'overview.commandsShort': { en: 'commands', 'pt-BR': 'comandos' },
  'overview.cmdBreakdown': {
    en: 'Results: {ok} OK, {err} error, {exp} expired; {pending} waiting',
    'pt-BR': 'Resultados: {ok} OK, {err} erro, {exp} expirados; {pending} aguardando'
  },
  'overview.rejected': { en: 'Rejected messages', 'pt-BR': 'Mensagens rejeitadas' },
  'overview.entities': { en: 'Entities, all services', 'pt-BR': 'Entidades, todos os serviços' },
  'overview.cbBacklog': { en: 'Updates waiting', 'pt-BR': 'Atualizações aguardando' },
  'overview.cbSent': { en: 'Updates sent', 'pt-BR': 'Atualizações enviadas' },
  'overview.cbRetried': { en: 'Sent again', 'pt-BR': 'Reenviadas' },
  'overview.cbDropped': { en: 'Dropped (queue full)', 'pt-BR': 'Descartadas (fila cheia)' },
  'overview.rejectedTitle': { en: 'Rejected messages and why', 'pt-BR': 'Mensagens rejeitadas e o motivo' },
  'overview.noRejected': {
    en: 'No message has been rejected. Every message on an agent topic was understood.',
    'pt-BR': 'Nenhuma mensagem foi rejeitada. Toda mensagem em um tópico do agente foi entendida.'
  },
  'overview.copyAddress': { en: 'Copy the address of the {name}', 'pt-BR': 'Copiar o endereço do {name}' },
  'overview.copyEndpoint': { en: 'Copy {url} ({name})', 'pt-BR': 'Copiar {url} ({name})' },
  'overview.endpoints': { en: 'Addresses', 'pt-BR': 'Endereços' },
  'overview.version': { en: 'version {v}', 'pt-BR': 'versão {v}' },
  'overview.uptime': { en: 'running for {u}', 'pt-BR': 'funcionando há {u}' },
  'overview.minutes': { en: '{n} min', 'pt-BR': '{n} min' },
  'overview.hours': { en: '{h} h {m} min', 'pt-BR': '{h} h {m} min' },
  'overview.inspectorBuffer': { en: '{n} messages in the inspector', 'pt-BR': '{n} mensagens no inspetor' },
  'overview.dataDir': { en: 'Data folder:', 'pt-BR': 'Pasta de dados:' },

  'next.title': { en: 'What to do next', 'pt-BR': 'O que fazer agora' },
  'next.group': { en: 'Create a service group', 'pt-BR': 'Criar um grupo de serviço' },
  'next.groupHint': {
    en: 'A service group tells the IoT Agent which API key its devices use. Tutorial 7 uses the key 4jggokgpepnvsb2uv4s40d59ov and the entity type Device.',
    'pt-BR': 'Um grupo de serviço diz ao Agente IoT qual chave de API seus dispositivos usam. O tutorial 7 usa a chave 4jggokgpepnvsb2uv4s40d59ov e o tipo de entidade Device.'
  },
  'next.groupAction': { en: 'Create the group', 'pt-BR': 'Criar o grupo' },
  'next.device': { en: 'Provision a device', 'pt-BR': 'Provisionar um dispositivo' },
  'next.deviceHint': {
    en: 'Provisioning device001 says how its measures (t, rh) become attributes (temperature, relativeHumidity) and which commands it accepts.',
    'pt-BR': 'Provisionar o device001 diz como suas medidas (t, rh) viram atributos (temperature, relativeHumidity) e quais comandos ele aceita.'
  },
  'next.deviceAction': { en: 'Provision device001', 'pt-BR': 'Provisionar o device001' },
  'next.simulator': { en: 'Start the simulated device', 'pt-BR': 'Iniciar o dispositivo simulado' },
  'next.simulatorHint': {
    en: 'The built-in device001 behaves like the tutorial’s dummy device: it listens for commands and, once switched on, sends measures.',
    'pt-BR': 'O device001 embutido se comporta como o dispositivo do tutorial: recebe comandos e, depois de ligado, envia medidas.'
  },
  'next.simulatorAction': { en: 'Open the simulator', 'pt-BR': 'Abrir o simulador' },
  'next.measures': { en: 'Receive the first measures', 'pt-BR': 'Receber as primeiras medidas' },
  'next.measuresHint': {
    en: 'The device only sends measures after the switch command. Open the device and press switch with the value 1.',
    'pt-BR': 'O dispositivo só envia medidas depois do comando switch. Abra o dispositivo e pressione switch com o valor 1.'
  },
  'next.measuresAction': { en: 'Open the device', 'pt-BR': 'Abrir o dispositivo' },
  'next.command': { en: 'Send a command and see it answered', 'pt-BR': 'Enviar um comando e ver a resposta' },
  'next.commandHint': {
    en: 'Commands go to the context broker, which forwards them to the agent; the agent publishes them to the device and waits for its answer.',
    'pt-BR': 'Comandos vão ao context broker, que os repassa ao agente; o agente os publica para o dispositivo e espera a resposta.'
  },
  'next.commandAction': { en: 'Send a command', 'pt-BR': 'Enviar um comando' },
  'next.allDone': { en: 'The whole tutorial works.', 'pt-BR': 'O tutorial inteiro funciona.' },
  'next.allDoneHint': {
    en: 'Watch every MQTT message and what the agent did with it in the topic inspector.',
    'pt-BR': 'Veja cada mensagem MQTT e o que o agente fez com ela no inspetor de tópicos.'
  },
  'next.doneSr': { en: '(done)', 'pt-BR': '(feito)' },
  'next.todoSr': { en: '(to do)', 'pt-BR': '(a fazer)' },

  'reject.NO_GROUP': { en: 'No service group has this API key.', 'pt-BR': 'Nenhum grupo de serviço tem esta chave de API.' },
  'reject.DEVICE_NOT_FOUND': {
    en: 'The device is not provisioned, and it uses the default API key.',
    'pt-BR': 'O dispositivo não está provisionado e usa a chave de API padrão.'
  },
  'reject.AUTOPROVISION_DISABLED': {
    en: 'The device is not provisioned and its group does not create devices automatically.',
    'pt-BR': 'O dispositivo não está provisionado e seu grupo não cria dispositivos automaticamente.'
  },
  'reject.COMMAND_NOT_FOUND': {
    en: 'The device answered a command it does not have.',
    'pt-BR': 'O dispositivo respondeu a um comando que ele não tem.'
  },
  'reject.PARSE_ERROR': { en: 'The message is not valid UltraLight 2.0.', 'pt-BR': 'A mensagem não é UltraLight 2.0 válido.' },
  'reject.BAD_TIMESTAMP': { en: 'The time in the message is not a valid date.', 'pt-BR': 'O horário na mensagem não é uma data válida.' },
  'reject.UPDATE_FAILED': {
    en: 'The context broker could not store the update.',
    'pt-BR': 'O context broker não conseguiu guardar a atualização.'
  },
  'reject.NGSI': { en: 'The context broker refused the update ({code}).', 'pt-BR': 'O context broker recusou a atualização ({code}).' },
  'reject.other': { en: 'Rejected ({code}).', 'pt-BR': 'Rejeitada ({code}).' },
  'reject.fix.NO_GROUP': {
    en: 'Create a service group with the API key used in the topic, or correct the key in the device.',
    'pt-BR': 'Crie um grupo de serviço com a chave de API usada no tópico, ou corrija a chave no dispositivo.'
  },
  'reject.fix.DEVICE_NOT_FOUND': {
    en: 'Provision the device, or make it use the API key of a group.',
    'pt-BR': 'Provisione o dispositivo, ou faça-o usar a chave de API de um grupo.'
  },
  'reject.fix.AUTOPROVISION_DISABLED': {
    en: 'Provision the device, or allow automatic provisioning in its group.',
    'pt-BR': 'Provisione o dispositivo, ou permita o provisionamento automático no grupo.'
  },
  'reject.fix.COMMAND_NOT_FOUND': {
    en: 'Add the command to the device, or check the name the device answers with.',
    'pt-BR': 'Adicione o comando ao dispositivo, ou confira o nome com que o dispositivo responde.'
  },
  'reject.fix.PARSE_ERROR': {
    en: 'Measures are written key, bar, value, bar, key, bar, value (for example t, bar, 21). The inspector shows the exact problem.',
    'pt-BR': 'Medidas são escritas chave, barra, valor, barra, chave, barra, valor (por exemplo t, barra, 21). O inspetor mostra o problema exato.'
  },
  'reject.fix.BAD_TIMESTAMP': {
    en: 'Send the time as ISO 8601, for example 2024-05-01T10:00:00Z, or leave it out.',
    'pt-BR': 'Envie o horário em ISO 8601, por exemplo 2024-05-01T10:00:00Z, ou omita-o.'
  }
})
