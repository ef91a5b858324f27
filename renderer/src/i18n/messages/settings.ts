import { defineMessages } from '../define'

export const settings = defineMessages({
  'settings.window': { en: 'This window', 'pt-BR': 'Esta janela' },
  'settings.theme': { en: 'Theme', 'pt-BR': 'Tema' },
  'settings.followSystem': { en: 'Follow the system', 'pt-BR': 'Seguir o sistema' },
  'settings.systemLanguage': { en: 'System language', 'pt-BR': 'Idioma do sistema' },
  'settings.light': { en: 'Light', 'pt-BR': 'Claro' },
  'settings.dark': { en: 'Dark', 'pt-BR': 'Escuro' },
  'settings.defaultScope': { en: 'Default fiware-service and fiware-servicepath', 'pt-BR': 'fiware-service e fiware-servicepath padrão' },
  'settings.defaultScopeHint': {
    en: 'The tenant this window starts in. The tutorial uses openiot and /.',
    'pt-BR': 'O inquilino em que esta janela começa. O tutorial usa openiot e /.'
  },
  'settings.tutorialScope': { en: 'Use the tutorial’s', 'pt-BR': 'Usar os do tutorial' },
  'settings.engineIntro': { en: 'Engine settings, saved in', 'pt-BR': 'Configurações do motor, salvas em' },
  'settings.mqtt': { en: 'MQTT broker', 'pt-BR': 'Broker MQTT' },
  'settings.embeddedBroker': { en: 'Built-in broker (as Mosquitto in the tutorial)', 'pt-BR': 'Broker embutido (como o Mosquitto do tutorial)' },
  'settings.externalBroker': { en: 'An external broker', 'pt-BR': 'Um broker externo' },
  'settings.brokerUrl': { en: 'Broker URL', 'pt-BR': 'URL do broker' },
  'settings.username': { en: 'User name', 'pt-BR': 'Usuário' },
  'settings.password': { en: 'Password', 'pt-BR': 'Senha' },
  'settings.passwordKept': { en: '(unchanged)', 'pt-BR': '(sem alteração)' },
  'settings.caFile': { en: 'CA certificate file (path on the engine’s computer)', 'pt-BR': 'Arquivo do certificado da CA (caminho no computador do motor)' },
  'settings.caFileHint': {
    en: 'A PEM file the engine reads when it connects, for mqtts:// and wss:// brokers with their own certificate authority.',
    'pt-BR': 'Um arquivo PEM que o motor lê ao conectar, para brokers mqtts:// e wss:// com autoridade certificadora própria.'
  },
  'settings.verifyTls': { en: 'Check the broker’s certificate', 'pt-BR': 'Verificar o certificado do broker' },
  'settings.cb': { en: 'Context broker', 'pt-BR': 'Context broker' },
  'settings.embeddedCb': { en: 'Built-in (as Orion in the tutorial)', 'pt-BR': 'Embutido (como o Orion do tutorial)' },
  'settings.externalCb': { en: 'An external Orion', 'pt-BR': 'Um Orion externo' },
  'settings.cbUrl': { en: 'Orion URL', 'pt-BR': 'URL do Orion' },
  'settings.afterRestart': { en: 'Takes effect when the engine restarts.', 'pt-BR': 'Vale quando o motor reiniciar.' },
  'settings.networkWhen': {
    en: 'Addresses and ports take effect when the engine restarts; the log level at once.',
    'pt-BR': 'Endereços e portas valem quando o motor reiniciar; o nível de log, na hora.'
  },
  'settings.network': { en: 'Network and log', 'pt-BR': 'Rede e log' },
  'settings.hosts': { en: 'Listen on (addresses, separated by commas)', 'pt-BR': 'Escutar em (endereços, separados por vírgulas)' },
  'settings.hostsHint': {
    en: '127.0.0.1 and ::1 mean this computer only. 0.0.0.0 means every network.',
    'pt-BR': '127.0.0.1 e ::1 significam só este computador. 0.0.0.0 significa todas as redes.'
  },
  'settings.exposed': {
    en: 'Listening beyond this computer ({hosts}): anyone on the network could then provision devices and send commands.',
    'pt-BR': 'Escutando além deste computador ({hosts}): qualquer um na rede poderá provisionar dispositivos e enviar comandos.'
  },
  'settings.portNgsi': { en: 'Context broker', 'pt-BR': 'Context broker' },
  'settings.portNorth': { en: 'IoT Agent API', 'pt-BR': 'API do Agente IoT' },
  'settings.portMqtt': { en: 'MQTT', 'pt-BR': 'MQTT' },
  'settings.portMqttWs': { en: 'MQTT WebSocket', 'pt-BR': 'MQTT WebSocket' },
  'settings.portGui': { en: 'Browser window', 'pt-BR': 'Janela no navegador' },
  'settings.logLevel': { en: 'Log level', 'pt-BR': 'Nível de log' },
  'settings.fixedFlag': { en: 'set by a command-line option', 'pt-BR': 'definido por opção de linha de comando' },
  'settings.fixedEnv': { en: 'set by an environment variable', 'pt-BR': 'definido por variável de ambiente' },
  'settings.fixedHint': {
    en: 'This value is fixed when the engine starts; change it where the engine is started.',
    'pt-BR': 'Este valor é fixado quando o motor inicia; mude-o onde o motor é iniciado.'
  },
  'settings.save': { en: 'Save engine settings', 'pt-BR': 'Salvar configurações do motor' },
  'settings.revert': { en: 'Undo changes', 'pt-BR': 'Desfazer alterações' },
  'settings.restartNote': { en: 'Some changes take effect when the engine restarts.', 'pt-BR': 'Algumas alterações só valem quando o motor reinicia.' },
  'settings.saved': { en: 'Settings saved.', 'pt-BR': 'Configurações salvas.' },
  'settings.applied': { en: 'Applied now: {list}', 'pt-BR': 'Aplicado agora: {list}' },
  'settings.restartNow': { en: 'Restart the engine now', 'pt-BR': 'Reiniciar o motor agora' },
  'settings.restarting': { en: 'Restarting the engine…', 'pt-BR': 'Reiniciando o motor…' },
  'settings.restartHint': {
    en: 'The engine stops and starts again with these settings, without closing this window; simulated devices stop. The browser page of serve keeps its own address until serve is started again.',
    'pt-BR': 'O motor para e inicia de novo com estas configurações, sem fechar esta janela; os dispositivos simulados param. A página de navegador do serve mantém seu endereço até o serve ser iniciado de novo.'
  },
  'settings.restarted': { en: 'Engine restarted with the saved settings.', 'pt-BR': 'Motor reiniciado com as configurações salvas.' },
  'settings.restartFailed': {
    en: 'The saved settings could not start the engine ({error}); it runs again with the previous ones.',
    'pt-BR': 'As configurações salvas não conseguiram iniciar o motor ({error}); ele voltou a rodar com as anteriores.'
  },
  'settings.problem.mqttUrl': {
    en: 'Write the broker address as mqtt://host:port (or mqtts://, ws://, wss://).',
    'pt-BR': 'Escreva o endereço do broker como mqtt://host:porta (ou mqtts://, ws://, wss://).'
  },
  'settings.problem.cbUrl': { en: 'Write the Orion address as http://host:port.', 'pt-BR': 'Escreva o endereço do Orion como http://host:porta.' },
  'settings.problem.hosts': { en: 'Give at least one address, for example 127.0.0.1.', 'pt-BR': 'Informe pelo menos um endereço, por exemplo 127.0.0.1.' },
  'settings.problem.port': { en: 'A port is a whole number from 0 to 65535 (0 picks a free one).', 'pt-BR': 'Uma porta é um inteiro de 0 a 65535 (0 escolhe uma livre).' }
})
