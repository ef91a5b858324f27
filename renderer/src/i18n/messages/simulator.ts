import { defineMessages } from '../define'

export const simulator = defineMessages({
  'sim.seedTitle': { en: 'The tutorial’s device (device001)', 'pt-BR': 'O dispositivo do tutorial (device001)' },
  'sim.seedExplain': {
    en: 'Behaves like the tutorial’s dummy device: listens on /<key>/device001/cmd, answers switch and interval, and while switched on sends t (10–40) and rh (0–100) on ul/<key>/device001/attrs.',
    'pt-BR': 'Funciona como o dispositivo do tutorial: escuta em /<chave>/device001/cmd, responde a switch e interval e, ligado, envia t (10–40) e rh (0–100) em ul/<chave>/device001/attrs.'
  },
  'sim.interval': { en: 'Interval (seconds)', 'pt-BR': 'Intervalo (segundos)' },
  'sim.switchedOn': { en: 'Start switched on', 'pt-BR': 'Iniciar ligado' },
  'sim.startDevice': { en: 'Start the device', 'pt-BR': 'Iniciar o dispositivo' },
  'sim.stopDevice': { en: 'Stop the device', 'pt-BR': 'Parar o dispositivo' },
  'sim.sending': { en: 'running, sending measures', 'pt-BR': 'funcionando, enviando medidas' },
  'sim.waiting': { en: 'running, switched off', 'pt-BR': 'funcionando, desligado' },
  'sim.waitingHint': {
    en: 'Switched off, it sends nothing: send it the switch command with the value 1 from its device page.',
    'pt-BR': 'Desligado, ele não envia nada: envie o comando switch com o valor 1 pela tela do dispositivo.'
  },
  'sim.counters': {
    en: '{m} measures sent, {c} commands received, every {i} s',
    'pt-BR': '{m} medidas enviadas, {c} comandos recebidos, a cada {i} s'
  },
  'sim.notProvisioned': {
    en: '{id} is not provisioned in this service: its measures will be rejected or create a new device automatically.',
    'pt-BR': '{id} não está provisionado neste serviço: suas medidas serão rejeitadas ou criarão um dispositivo automaticamente.'
  },
  'sim.badInterval': { en: 'The interval must be a number of seconds above 0.', 'pt-BR': 'O intervalo deve ser um número de segundos acima de 0.' },
  'sim.fleetTitle': { en: 'Fleet of simulated devices', 'pt-BR': 'Frota de dispositivos simulados' },
  'sim.fleetExplain': {
    en: 'N devices named prefix1, prefix2, … send random measures in the given ranges and answer commands after a delay. They are not provisioned: a service group with their API key must create them automatically.',
    'pt-BR': 'N dispositivos chamados prefixo1, prefixo2, … enviam medidas aleatórias nas faixas dadas e respondem a comandos após um atraso. Eles não são provisionados: um grupo de serviço com a chave deles deve criá-los automaticamente.'
  },
  'sim.prefix': { en: 'Device id prefix', 'pt-BR': 'Prefixo do id' },
  'sim.count': { en: 'How many devices', 'pt-BR': 'Quantos dispositivos' },
  'sim.latency': { en: 'Answer delay (ms)', 'pt-BR': 'Atraso da resposta (ms)' },
  'sim.loss': { en: 'Messages lost (%)', 'pt-BR': 'Mensagens perdidas (%)' },
  'sim.measures': { en: 'Measures and their ranges', 'pt-BR': 'Medidas e suas faixas' },
  'sim.key': { en: 'key', 'pt-BR': 'chave' },
  'sim.min': { en: 'minimum', 'pt-BR': 'mínimo' },
  'sim.max': { en: 'maximum', 'pt-BR': 'máximo' },
  'sim.needGroup': {
    en: 'No service group here has the API key {apikey}: the fleet’s measures would be rejected.',
    'pt-BR': 'Nenhum grupo de serviço aqui tem a chave {apikey}: as medidas da frota seriam rejeitadas.'
  },
  'sim.needAuto': {
    en: 'The group with the API key {apikey} does not create devices automatically: the fleet’s measures would be rejected.',
    'pt-BR': 'O grupo com a chave {apikey} não cria dispositivos automaticamente: as medidas da frota seriam rejeitadas.'
  },
  'sim.createGroup': { en: 'Create that group (automatic devices, type Thing)', 'pt-BR': 'Criar esse grupo (dispositivos automáticos, tipo Thing)' },
  'sim.allowAuto': { en: 'Allow automatic devices in that group', 'pt-BR': 'Permitir dispositivos automáticos nesse grupo' },
  'sim.groupReady': { en: 'The group {apikey} now accepts the fleet.', 'pt-BR': 'O grupo {apikey} agora aceita a frota.' },
  'sim.badPrefix': {
    en: 'The prefix cannot be empty or contain spaces, slashes, #, +, the at sign or the vertical bar.',
    'pt-BR': 'O prefixo não pode ser vazio nem ter espaços, barras, #, +, arroba ou barra vertical.'
  },
  'sim.badCount': { en: 'The number of devices must be a whole number from 1 to 10000.', 'pt-BR': 'O número de dispositivos deve ser um inteiro de 1 a 10000.' },
  'sim.needMeasure': { en: 'Add at least one measure.', 'pt-BR': 'Adicione pelo menos uma medida.' },
  'sim.badKey': {
    en: 'The measure key "{key}" cannot be empty or contain spaces, #, the at sign or the vertical bar.',
    'pt-BR': 'A chave de medida "{key}" não pode ser vazia nem ter espaços, #, arroba ou barra vertical.'
  },
  'sim.badRange': { en: 'The range of {key} needs a minimum not above its maximum.', 'pt-BR': 'A faixa de {key} precisa de um mínimo que não passe do máximo.' },
  'sim.badLatency': { en: 'The delay must be from 0 to 600000 ms.', 'pt-BR': 'O atraso deve ser de 0 a 600000 ms.' },
  'sim.badLoss': { en: 'The loss must be from 0 to 100 %.', 'pt-BR': 'A perda deve ser de 0 a 100 %.' },
  'sim.startFleet': { en: 'Start {n} device | Start {n} devices', 'pt-BR': 'Iniciar {n} dispositivo | Iniciar {n} dispositivos' },
  'sim.runningFleets': { en: 'Fleets', 'pt-BR': 'Frotas' },
  'sim.noFleets': { en: 'No fleet is running.', 'pt-BR': 'Nenhuma frota em execução.' },
  'sim.fleet': { en: 'Devices', 'pt-BR': 'Dispositivos' },
  'sim.fleetLine': { en: 'API key {apikey}, every {i} s', 'pt-BR': 'chave {apikey}, a cada {i} s' },
  'sim.sent': { en: 'Measures sent', 'pt-BR': 'Medidas enviadas' },
  'sim.dropped': { en: 'Lost on purpose', 'pt-BR': 'Perdidas de propósito' },
  'sim.commandsReceived': { en: 'Commands received', 'pt-BR': 'Comandos recebidos' },
  'sim.stopped': { en: 'stopped', 'pt-BR': 'parada' }
})
