import { defineMessages } from '../define'

export const common = defineMessages({
  'common.copy': { en: 'Copy', 'pt-BR': 'Copiar' },
  'common.copied': { en: 'Copied', 'pt-BR': 'Copiado' },
  'common.close': { en: 'Close', 'pt-BR': 'Fechar' },
  'common.cancel': { en: 'Cancel', 'pt-BR': 'Cancelar' },
  'common.apply': { en: 'Apply', 'pt-BR': 'Aplicar' },
  'common.save': { en: 'Save', 'pt-BR': 'Salvar' },
  'common.delete': { en: 'Delete', 'pt-BR': 'Excluir' },
  'common.edit': { en: 'Edit', 'pt-BR': 'Editar' },
  'common.add': { en: 'Add', 'pt-BR': 'Adicionar' },
  'common.remove': { en: 'Remove', 'pt-BR': 'Remover' },
  'common.undo': { en: 'Undo', 'pt-BR': 'Desfazer' },
  'common.search': { en: 'Search', 'pt-BR': 'Buscar' },
  'common.loading': { en: 'Loading…', 'pt-BR': 'Carregando…' },
  'common.start': { en: 'Start', 'pt-BR': 'Iniciar' },
  'common.stop': { en: 'Stop', 'pt-BR': 'Parar' },
  'common.refresh': { en: 'Refresh', 'pt-BR': 'Atualizar' },
  'common.yes': { en: 'Yes', 'pt-BR': 'Sim' },
  'common.no': { en: 'No', 'pt-BR': 'Não' },
  'common.none': { en: 'none', 'pt-BR': 'nenhum' },
  'common.error': { en: 'Error: {message}', 'pt-BR': 'Erro: {message}' },
  'common.notImplemented': {
    en: 'This engine does not offer this yet ({name}).',
    'pt-BR': 'Este motor ainda não oferece isto ({name}).'
  },

  'nav.skip': { en: 'Skip to content', 'pt-BR': 'Pular para o conteúdo' },
  'nav.label': { en: 'Views', 'pt-BR': 'Telas' },
  'nav.overview': { en: 'Overview', 'pt-BR': 'Visão geral' },
  'nav.provisioning': { en: 'Groups and devices', 'pt-BR': 'Grupos e dispositivos' },
  'nav.device': { en: 'Device', 'pt-BR': 'Dispositivo' },
  'nav.inspector': { en: 'Topic inspector', 'pt-BR': 'Inspetor de tópicos' },
  'nav.simulator': { en: 'Simulator', 'pt-BR': 'Simulador' },
  'nav.settings': { en: 'Settings', 'pt-BR': 'Configurações' },
  'nav.logs': { en: 'Engine log', 'pt-BR': 'Log do motor' },
  'nav.help': { en: 'Keyboard shortcuts', 'pt-BR': 'Atalhos de teclado' },
  'nav.theme': { en: 'Switch light or dark theme', 'pt-BR': 'Alternar tema claro ou escuro' },
  'nav.language': { en: 'Language', 'pt-BR': 'Idioma' },

  'scope.label': { en: 'Tenant (FIWARE headers)', 'pt-BR': 'Inquilino (cabeçalhos FIWARE)' },
  'scope.service': { en: 'fiware-service', 'pt-BR': 'fiware-service' },
  'scope.servicePath': { en: 'fiware-servicepath', 'pt-BR': 'fiware-servicepath' },
  'scope.badService': {
    en: 'The service may only have letters, digits and _ (at most 50).',
    'pt-BR': 'O serviço só pode ter letras, dígitos e _ (no máximo 50).'
  },
  'scope.badPath': { en: 'The service path must start with /.', 'pt-BR': 'O caminho do serviço deve começar com /.' },

  'conn.connecting': { en: 'Connecting to the engine…', 'pt-BR': 'Conectando ao motor…' },
  'conn.reconnecting': { en: 'Connection to the engine lost.', 'pt-BR': 'Conexão com o motor perdida.' },
  'conn.reconnectingHint': {
    en: 'Trying again; what you see may be out of date.',
    'pt-BR': 'Tentando de novo; o que você vê pode estar desatualizado.'
  },
  'conn.retry': { en: 'Try now', 'pt-BR': 'Tentar agora' },
  'conn.unauthorized': { en: 'The engine refused this page.', 'pt-BR': 'O motor recusou esta página.' },
  'conn.unauthorizedHint': {
    en: 'Open the address the engine printed when it started (it carries the access token).',
    'pt-BR': 'Abra o endereço que o motor mostrou ao iniciar (ele contém o token de acesso).'
  },
  'conn.closed': { en: 'No connection to the engine.', 'pt-BR': 'Sem conexão com o motor.' },
  'conn.closedHint': {
    en: 'Start the engine (npm run serve) and reload this page.',
    'pt-BR': 'Inicie o motor (npm run serve) e recarregue esta página.'
  },
  'engine.stopped': { en: 'The engine is stopped.', 'pt-BR': 'O motor está parado.' },
  'engine.stoppedHint': {
    en: 'Correct the settings, then restart the engine from the Settings page.',
    'pt-BR': 'Corrija as configurações e reinicie o motor na página Configurações.'
  },

  'help.title': { en: 'Keyboard shortcuts', 'pt-BR': 'Atalhos de teclado' },
  'help.keys': { en: 'Keys', 'pt-BR': 'Teclas' },
  'help.action': { en: 'Action', 'pt-BR': 'Ação' },
  'help.whereColumn': { en: 'Where', 'pt-BR': 'Onde' },
  'help.tip': {
    en: 'Single-key shortcuts do nothing while you type in a field.',
    'pt-BR': 'Atalhos de uma tecla não agem enquanto você digita em um campo.'
  },
  'help.k.help': { en: 'Show or hide this list', 'pt-BR': 'Mostrar ou esconder esta lista' },
  'help.k.views': { en: 'Go to a view (in the order of the sidebar)', 'pt-BR': 'Ir para uma tela (na ordem da barra lateral)' },
  'help.k.search': { en: 'Search or filter in the view', 'pt-BR': 'Buscar ou filtrar na tela' },
  'help.k.logs': { en: 'Open or close the engine log', 'pt-BR': 'Abrir ou fechar o log do motor' },
  'help.k.theme': { en: 'Switch light or dark theme', 'pt-BR': 'Alternar tema claro ou escuro' },
  'help.k.language': { en: 'Switch English or Portuguese', 'pt-BR': 'Alternar inglês ou português' },
  'help.k.close': { en: 'Close the dialog or the log', 'pt-BR': 'Fechar o diálogo ou o log' },
  'help.k.new': { en: 'New group or device', 'pt-BR': 'Novo grupo ou dispositivo' },
  'help.k.save': { en: 'Save the form', 'pt-BR': 'Salvar o formulário' },
  'help.k.pause': { en: 'Pause or resume the message log', 'pt-BR': 'Pausar ou retomar o log de mensagens' },
  'help.k.publish': { en: 'Publish the message', 'pt-BR': 'Publicar a mensagem' },
  'help.k.move': { en: 'Move in a list', 'pt-BR': 'Mover-se em uma lista' },
  'help.k.seed': { en: 'Start or stop the tutorial device', 'pt-BR': 'Iniciar ou parar o dispositivo do tutorial' },
  'help.where.everywhere': { en: 'everywhere', 'pt-BR': 'em qualquer tela' },
  'help.where.provisioning': { en: 'Groups and devices', 'pt-BR': 'Grupos e dispositivos' },
  'help.where.inspector': { en: 'Topic inspector', 'pt-BR': 'Inspetor de tópicos' },
  'help.where.lists': { en: 'lists', 'pt-BR': 'listas' },
  'help.where.simulator': { en: 'Simulator', 'pt-BR': 'Simulador' },

  'logs.title': { en: 'Engine log', 'pt-BR': 'Log do motor' },
  'logs.level': { en: 'Level', 'pt-BR': 'Nível' },
  'logs.all': { en: 'All levels', 'pt-BR': 'Todos os níveis' },
  'logs.warnings': { en: 'Warnings and errors', 'pt-BR': 'Avisos e erros' },
  'logs.search': { en: 'Search the log', 'pt-BR': 'Buscar no log' },
  'logs.count': { en: '{n} entries', 'pt-BR': '{n} entradas' }
})
