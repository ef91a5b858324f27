import { defineMessages } from '../define'

/** The History view: the built-in history (Cygnus's sink, STH-Comet's API) as charts and CSV. */
export const history = defineMessages({
  'nav.history': { en: 'History', 'pt-BR': 'Histórico' },
  'historyView.pick': { en: 'Attribute', 'pt-BR': 'Atributo' },
  'historyView.pickHint': { en: 'entity · attribute (points kept)', 'pt-BR': 'entidade · atributo (pontos guardados)' },
  'historyView.option': { en: '{entity} · {attr} ({n} points)', 'pt-BR': '{entity} · {attr} ({n} pontos)' },
  'historyView.range': { en: 'Time range', 'pt-BR': 'Período' },
  'historyView.range1h': { en: 'last hour', 'pt-BR': 'última hora' },
  'historyView.range6h': { en: 'last 6 hours', 'pt-BR': 'últimas 6 horas' },
  'historyView.range24h': { en: 'last 24 hours', 'pt-BR': 'últimas 24 horas' },
  'historyView.range7d': { en: 'last 7 days', 'pt-BR': 'últimos 7 dias' },
  'historyView.rangeAll': { en: 'all', 'pt-BR': 'tudo' },
  'historyView.refresh': { en: 'Refresh', 'pt-BR': 'Atualizar' },
  'historyView.export': { en: 'Export CSV', 'pt-BR': 'Exportar CSV' },
  'historyView.exporting': { en: 'Exporting…', 'pt-BR': 'Exportando…' },
  'historyView.exported': { en: '{n} point exported to {file}. | {n} points exported to {file}.', 'pt-BR': '{n} ponto exportado para {file}. | {n} pontos exportados para {file}.' },
  'historyView.exportFailed': { en: 'The CSV could not be made: {message}', 'pt-BR': 'Não foi possível gerar o CSV: {message}' },
  'historyView.chartLabel': { en: 'Chart of {attr} of {entity} over time', 'pt-BR': 'Gráfico de {attr} de {entity} ao longo do tempo' },
  'historyView.chartLabelUnit': { en: 'Chart of {attr} of {entity} over time, in {unit}', 'pt-BR': 'Gráfico de {attr} de {entity} ao longo do tempo, em {unit}' },
  'historyView.points': { en: '{n} point | {n} points', 'pt-BR': '{n} ponto | {n} pontos' },
  'historyView.summary': {
    en: '{points} from {from} to {to}. Lowest: {min}. Highest: {max}. Latest: {last}, at {at}.',
    'pt-BR': '{points} de {from} a {to}. Mínimo: {min}. Máximo: {max}. Último: {last}, às {at}.'
  },
  'historyView.summaryText': { en: '{points} from {from} to {to}. Latest: {last}, at {at}.', 'pt-BR': '{points} de {from} a {to}. Último: {last}, às {at}.' },
  'historyView.thinned': {
    en: 'Thinned: the range holds {total} points; the chart draws {shown} of them, the lowest and the highest of each stretch of time. The CSV has every point.',
    'pt-BR': 'Reduzido: o período tem {total} pontos; o gráfico desenha {shown} deles, o menor e o maior de cada trecho de tempo. O CSV tem todos os pontos.'
  },
  'historyView.noneInRange': { en: 'No point in this range. The latest is from {at}.', 'pt-BR': 'Nenhum ponto neste período. O último é de {at}.' },
  'historyView.notNumeric': { en: 'These values are not numbers: the chart has nothing to draw, the CSV has them all.', 'pt-BR': 'Estes valores não são números: o gráfico não tem o que desenhar, o CSV tem todos eles.' },
  'historyView.error': { en: 'The history could not be read: {message}', 'pt-BR': 'Não foi possível ler o histórico: {message}' },
  'historyView.missing': { en: '{entity} has no history in this tenant yet: another attribute is shown.', 'pt-BR': '{entity} ainda não tem histórico neste inquilino: outro atributo é exibido.' },
  'historyView.truncated': { en: 'Only the first {n} attributes are listed.', 'pt-BR': 'Só os primeiros {n} atributos estão listados.' },
  'historyView.emptyTitle': { en: 'No history in this service yet', 'pt-BR': 'Ainda não há histórico neste serviço' },
  'historyView.emptyExplain': {
    en: 'The history keeps what the context broker notifies to the built-in Cygnus. As in tutorial 8, subscribe the context broker to http://cygnus:5050/notify: from then on each change of a matching entity is stored here, and readable through the STH-Comet API as well.',
    'pt-BR': 'O histórico guarda o que o context broker notifica ao Cygnus embutido. Como no tutorial 8, assine o context broker em http://cygnus:5050/notify: daí em diante cada mudança de uma entidade assinada fica guardada aqui, e também pode ser lida pela API do STH-Comet.'
  },
  'historyView.emptyScope': { en: 'Service {service}, service path {path}: the subscription must be made in the same tenant.', 'pt-BR': 'Serviço {service}, caminho {path}: a assinatura deve ser feita no mesmo inquilino.' },
  'historyView.subscribeTitle': { en: 'Subscribe the context broker to the built-in Cygnus', 'pt-BR': 'Assinar o context broker no Cygnus embutido' },
  'historyView.copySubscribe': { en: 'Copy the subscription command', 'pt-BR': 'Copiar o comando de assinatura' },
  'historyView.sthTitle': { en: 'The same history through the STH-Comet API', 'pt-BR': 'O mesmo histórico pela API do STH-Comet' },
  'historyView.copySth': { en: 'Copy the STH-Comet request', 'pt-BR': 'Copiar o pedido ao STH-Comet' },
  'historyView.zoomControls': { en: 'Zoom of the chart', 'pt-BR': 'Zoom do gráfico' },
  'historyView.zoomIn': { en: 'Zoom in', 'pt-BR': 'Aproximar' },
  'historyView.zoomOut': { en: 'Zoom out', 'pt-BR': 'Afastar' },
  'historyView.earlier': { en: 'Earlier', 'pt-BR': 'Antes' },
  'historyView.later': { en: 'Later', 'pt-BR': 'Depois' },
  'historyView.zoomReset': { en: 'Whole range', 'pt-BR': 'Período inteiro' },
  'historyView.zoomShown': { en: 'Shown: {from} to {to}', 'pt-BR': 'Exibido: de {from} a {to}' },
  'historyView.zoomHint': {
    en: 'Drag the slider under the chart or use the wheel over it; with the keyboard, use these buttons.',
    'pt-BR': 'Arraste o controle sob o gráfico ou use a roda do mouse sobre ele; pelo teclado, use estes botões.'
  },
  'historyView.openFromDevice': { en: 'History of this entity', 'pt-BR': 'Histórico desta entidade' }
})
