import { defineMessages } from '../define'

export const device = defineMessages({
  'device.pick': { en: 'Device', 'pt-BR': 'Dispositivo' },
  'device.pickPlaceholder': { en: 'device id', 'pt-BR': 'id do dispositivo' },
  'device.entityIs': { en: 'entity', 'pt-BR': 'entidade' },
  'device.none': { en: 'No device is provisioned in this service yet.', 'pt-BR': 'Ainda não há dispositivo provisionado neste serviço.' },
  'device.notFound': {
    en: 'There is no device {id} in this service and service path.',
    'pt-BR': 'Não há dispositivo {id} neste serviço e caminho de serviço.'
  },
  'device.commands': { en: 'Commands', 'pt-BR': 'Comandos' },
  'device.noCommands': { en: 'This device has no commands.', 'pt-BR': 'Este dispositivo não tem comandos.' },
  'device.value': { en: 'value', 'pt-BR': 'valor' },
  'device.valueFor': { en: 'Value sent with {c}', 'pt-BR': 'Valor enviado com {c}' },
  'device.rtt': { en: 'answered in {d}', 'pt-BR': 'respondido em {d}' },
  'device.expiredAfter': { en: 'expired after {d}', 'pt-BR': 'expirou após {d}' },
  'device.sentAt': { en: 'sent at {time}', 'pt-BR': 'enviado às {time}' },
  'device.expiredHint': {
    en: 'The device did not answer in time. Is it running and subscribed to its cmd topic?',
    'pt-BR': 'O dispositivo não respondeu a tempo. Ele está ligado e inscrito no seu tópico cmd?'
  },
  'device.equivalent': { en: 'Equivalent request', 'pt-BR': 'Pedido equivalente' },
  'device.commandsExplain': {
    en: 'A command is an update of the entity in the context broker; the broker forwards it to the IoT Agent, which publishes it on /<key>/<device>/cmd and waits for the answer.',
    'pt-BR': 'Um comando é uma atualização da entidade no context broker; ele a repassa ao Agente IoT, que a publica em /<chave>/<dispositivo>/cmd e espera a resposta.'
  },
  'device.charts': { en: 'Measures over time', 'pt-BR': 'Medidas ao longo do tempo' },
  'device.chartLabel': { en: 'Chart of {name} over time', 'pt-BR': 'Gráfico de {name} ao longo do tempo' },
  'device.chartLabelUnit': { en: 'Chart of {name} over time, in {unit}', 'pt-BR': 'Gráfico de {name} ao longo do tempo, em {unit}' },
  'device.points': { en: '{n} point | {n} points', 'pt-BR': '{n} ponto | {n} pontos' },
  'device.stale': { en: 'no data for {d} (measured interval: {i})', 'pt-BR': 'sem dados há {d} (intervalo medido: {i})' },
  'device.chartControls': { en: 'Chart view', 'pt-BR': 'Visualização dos gráficos' },
  'device.range': { en: 'Time range', 'pt-BR': 'Período exibido' },
  'device.range1m': { en: 'last minute', 'pt-BR': 'último minuto' },
  'device.range5m': { en: 'last 5 minutes', 'pt-BR': 'últimos 5 minutos' },
  'device.range15m': { en: 'last 15 minutes', 'pt-BR': 'últimos 15 minutos' },
  'device.range1h': { en: 'last hour', 'pt-BR': 'última hora' },
  'device.rangeAll': { en: 'every point kept', 'pt-BR': 'todos os pontos guardados' },
  'device.pause': { en: 'Pause the charts', 'pt-BR': 'Pausar os gráficos' },
  'device.paused': {
    en: 'Paused at {time}: new measures are still collected, but not shown.',
    'pt-BR': 'Pausado às {time}: as novas medidas continuam sendo guardadas, mas não aparecem.'
  },
  'device.backToLive': { en: 'Back to live', 'pt-BR': 'Voltar ao vivo' },
  'device.sincePause': {
    en: '{n} new point since the pause | {n} new points since the pause',
    'pt-BR': '{n} ponto novo desde a pausa | {n} pontos novos desde a pausa'
  },
  'device.noTelemetry': {
    en: 'No numeric measure yet. Start the simulated device (and send switch with 1) or publish a measure from the topic inspector.',
    'pt-BR': 'Ainda não há medida numérica. Inicie o dispositivo simulado (e envie switch com 1) ou publique uma medida pelo inspetor de tópicos.'
  },
  'device.noSeries': { en: 'The recent measures could not be read: {message}', 'pt-BR': 'Não foi possível ler as medidas recentes: {message}' },
  'device.copyEntity': { en: "Copy the entity's JSON", 'pt-BR': 'Copiar o JSON da entidade' },
  'device.entity': { en: 'Entity in the context broker', 'pt-BR': 'Entidade no context broker' },
  'device.format': { en: 'Representation', 'pt-BR': 'Representação' },
  'device.noEntity': {
    en: 'The context broker has no entity for this device yet; it appears with the first measure or command.',
    'pt-BR': 'O context broker ainda não tem entidade para este dispositivo; ela aparece com a primeira medida ou comando.'
  },
  'device.lastMessages': { en: 'Latest messages of the device', 'pt-BR': 'Últimas mensagens do dispositivo' },
  'device.noMessages': { en: 'No message from this device in the inspector.', 'pt-BR': 'Nenhuma mensagem deste dispositivo no inspetor.' },

  'cmd.SENDING': { en: 'sending…', 'pt-BR': 'enviando…' },
  'cmd.PENDING': { en: 'PENDING: waiting for the device', 'pt-BR': 'PENDING: aguardando o dispositivo' },
  'cmd.OK': { en: 'OK', 'pt-BR': 'OK' },
  'cmd.ERROR': { en: 'ERROR', 'pt-BR': 'ERRO' },
  'cmd.EXPIRED': { en: 'EXPIRED: no answer', 'pt-BR': 'EXPIRADO: sem resposta' },
  'cmd.FAILED': { en: 'not sent', 'pt-BR': 'não enviado' }
})
