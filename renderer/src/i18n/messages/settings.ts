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
  'settings.cbAuthTitle': { en: 'Authentication (PEP proxy in front of Orion)', 'pt-BR': 'Autenticação (proxy PEP na frente do Orion)' },
  'settings.cbAuth.none': { en: 'None', 'pt-BR': 'Nenhuma' },
  'settings.cbAuth.token': { en: 'Fixed token', 'pt-BR': 'Token fixo' },
  'settings.cbAuth.keystone': { en: 'Keystone (user and password)', 'pt-BR': 'Keystone (usuário e senha)' },
  'settings.cbAuth.oauth2': { en: 'OAuth2 / Keyrock (refresh token)', 'pt-BR': 'OAuth2 / Keyrock (refresh token)' },
  'settings.cbAuth.header': { en: 'Header the token goes in', 'pt-BR': 'Cabeçalho em que vai o token' },
  'settings.cbAuth.tokenValue': { en: 'Token', 'pt-BR': 'Token' },
  'settings.cbAuth.url': { en: 'Token service URL', 'pt-BR': 'URL do serviço de tokens' },
  'settings.cbAuth.tokenPath': { en: 'Token path', 'pt-BR': 'Caminho do token' },
  'settings.cbAuth.user': { en: 'User', 'pt-BR': 'Usuário' },
  'settings.cbAuth.password': { en: 'Password', 'pt-BR': 'Senha' },
  'settings.cbAuth.trust': { en: 'Trust id (optional)', 'pt-BR': 'Id do trust (opcional)' },
  'settings.cbAuth.clientId': { en: 'Client id', 'pt-BR': 'Client id' },
  'settings.cbAuth.clientSecret': { en: 'Client secret', 'pt-BR': 'Client secret' },
  'settings.cbAuth.refreshToken': { en: 'Refresh token', 'pt-BR': 'Refresh token' },
  'settings.cbAuth.permanent': { en: 'The refresh token field holds a permanent access token', 'pt-BR': 'O campo do refresh token contém um token de acesso permanente' },
  'settings.cbAuth.secretKept': { en: '(saved; leave empty to keep it)', 'pt-BR': '(salvo; deixe vazio para mantê-lo)' },
  'settings.cbCaFile': { en: 'CA certificate file for an https Orion (path on the engine’s computer)', 'pt-BR': 'Arquivo do certificado da CA para um Orion https (caminho no computador do motor)' },
  'settings.afterRestart': { en: 'Takes effect when the engine restarts.', 'pt-BR': 'Vale quando o motor reiniciar.' },
  'settings.networkWhen': {
    en: 'Addresses and ports take effect when the engine restarts; the log level at once.',
    'pt-BR': 'Endereços e portas valem quando o motor reiniciar; o nível de log, na hora.'
  },
  'settings.network': { en: 'Network and log', 'pt-BR': 'Rede e log' },
  'settings.hosts': { en: 'Listen on (addresses, separated by commas)', 'pt-BR': 'Escutar em (endereços, separados por vírgulas)' },
  'settings.allowedHosts': { en: 'Also answer to these host names (separated by commas)', 'pt-BR': 'Atender também por estes nomes de host (separados por vírgulas)' },
  'settings.allowedHostsHint': {
    en: 'Requests are answered only when they name this computer: localhost, a listening address, or a name given here. This stops web pages of other sites from reaching the services (DNS rebinding).',
    'pt-BR': 'Só são atendidas as requisições que chamam este computador: localhost, um endereço de escuta ou um nome informado aqui. Isso impede que páginas de outros sites alcancem os serviços (DNS rebinding).'
  },
  'settings.corsOrigin': { en: 'CORS on the context broker (NGSI port)', 'pt-BR': 'CORS no context broker (porta NGSI)' },
  'settings.corsOriginHint': {
    en: 'As Orion\'s -corsOrigin: empty for none, __ALL for any web page, or one origin such as http://localhost:3000.',
    'pt-BR': 'Como o -corsOrigin do Orion: vazio para nenhuma, __ALL para qualquer página web, ou uma origem como http://localhost:3000.'
  },
  'settings.corsMaxAge': { en: 'CORS preflight cache (seconds)', 'pt-BR': 'Cache do preflight CORS (segundos)' },
  'settings.corsMaxAgeHint': {
    en: 'As Orion\'s -corsMaxAge: how long a browser may keep the answer to a preflight (OPTIONS) request. Used only with a CORS origin; 86400 is one day.',
    'pt-BR': 'Como o -corsMaxAge do Orion: por quanto tempo o navegador pode guardar a resposta a uma requisição preflight (OPTIONS). Só vale com uma origem CORS; 86400 é um dia.'
  },
  'settings.hostsHint': {
    en: '127.0.0.1 and ::1 mean this computer only. 0.0.0.0 means every network.',
    'pt-BR': '127.0.0.1 e ::1 significam só este computador. 0.0.0.0 significa todas as redes.'
  },
  'settings.exposed': {
    en: 'Listening beyond this computer ({hosts}): anyone on the network could then provision devices and send commands.',
    'pt-BR': 'Escutando além deste computador ({hosts}): qualquer um na rede poderá provisionar dispositivos e enviar comandos.'
  },
  'settings.firewall': {
    en: 'Firewall: a device on the LAN needs these incoming TCP ports of this computer open: {ports}. Devices with an HTTP endpoint are called by the app and need nothing more.',
    'pt-BR': 'Firewall: um dispositivo na rede local precisa destas portas TCP de entrada deste computador abertas: {ports}. Dispositivos com endpoint HTTP são chamados pelo aplicativo e não precisam de mais nada.'
  },
  'settings.mqttLanAuth': {
    en: 'MQTT from the network: anonymous clients are refused unless anonymous access is allowed (--mqtt-allow-anonymous true); with a password file, devices log in with a user (MQTT users below; README, "Security").',
    'pt-BR': 'MQTT pela rede: clientes anônimos são recusados, a menos que o acesso anônimo seja permitido (--mqtt-allow-anonymous true); com um arquivo de senhas, os dispositivos entram com um usuário (usuários MQTT abaixo; README, "Security").'
  },
  'settings.lanPort.mqtt': { en: 'MQTT', 'pt-BR': 'MQTT' },
  'settings.lanPort.mqtts': { en: 'MQTT over TLS', 'pt-BR': 'MQTT com TLS' },
  'settings.lanPort.mqttWs': { en: 'MQTT over WebSocket', 'pt-BR': 'MQTT sobre WebSocket' },
  'settings.lanPort.mqttWss': { en: 'MQTT over secure WebSocket', 'pt-BR': 'MQTT sobre WebSocket seguro' },
  'settings.lanPort.south': { en: 'agents\' HTTP south, /iot/d and /iot/json', 'pt-BR': 'sul HTTP dos agentes, /iot/d e /iot/json' },
  'settings.portNgsi': { en: 'Context broker', 'pt-BR': 'Context broker' },
  'settings.portNorth': { en: 'IoT Agent UltraLight API', 'pt-BR': 'API do Agente IoT UltraLight' },
  'settings.portMqtt': { en: 'MQTT', 'pt-BR': 'MQTT' },
  'settings.portMqttWs': { en: 'MQTT WebSocket', 'pt-BR': 'MQTT WebSocket' },
  'settings.portGui': { en: 'Browser window', 'pt-BR': 'Janela no navegador' },
  'settings.portJsonNorth': { en: 'IoT Agent JSON API', 'pt-BR': 'API do Agente IoT JSON' },
  'settings.portSouth': { en: 'Agents\' HTTP south', 'pt-BR': 'Sul HTTP dos agentes' },
  'settings.portContextProvider': { en: 'Context provider', 'pt-BR': 'Provedor de contexto' },
  'settings.portDevices': { en: 'HTTP devices', 'pt-BR': 'Dispositivos HTTP' },
  'settings.portCygnus': { en: 'Cygnus notifications', 'pt-BR': 'Notificações do Cygnus' },
  'settings.portCygnusApi': { en: 'Cygnus API', 'pt-BR': 'API do Cygnus' },
  'settings.portSth': { en: 'STH-Comet', 'pt-BR': 'STH-Comet' },
  'settings.tutorialHosts': { en: 'Send the tutorials’ host names to the built-in services', 'pt-BR': 'Enviar os nomes de host dos tutoriais aos serviços embutidos' },
  'settings.tutorialHostsHint': {
    en: 'When orion, iot-agent, context-provider, cygnus, sth-comet, dummy-device or iot-sensors does not resolve on this computer, the engine sends its requests for that name to its own service, and the trace says so; a name that resolves is used as usual. Applies at once.',
    'pt-BR': 'Quando orion, iot-agent, context-provider, cygnus, sth-comet, dummy-device ou iot-sensors não resolve neste computador, o motor envia as requisições para esse nome ao seu próprio serviço, e o rastro diz isso; um nome que resolve é usado normalmente. Vale na hora.'
  },
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
    en: 'The saved settings could not start the engine; it runs again with the previous ones.',
    'pt-BR': 'As configurações salvas não conseguiram iniciar o motor; ele voltou a rodar com as anteriores.'
  },
  'settings.restartFailedCause': {
    en: 'The saved settings could not start the engine, which runs again with the previous ones. Cause:',
    'pt-BR': 'As configurações salvas não conseguiram iniciar o motor, que voltou a rodar com as anteriores. Causa:'
  },
  'settings.problem.mqttUrl': {
    en: 'Write the broker address as mqtt://host:port (or mqtts://, ws://, wss://).',
    'pt-BR': 'Escreva o endereço do broker como mqtt://host:porta (ou mqtts://, ws://, wss://).'
  },
  'settings.problem.cbAuthUrl': { en: 'Enter the token service address, e.g. http://keystone:5000.', 'pt-BR': 'Informe o endereço do serviço de tokens, por exemplo http://keystone:5000.' },
  'settings.problem.cbAuthHeader': { en: 'Not an HTTP header name.', 'pt-BR': 'Não é um nome de cabeçalho HTTP.' },
  'settings.problem.cbUrl': { en: 'Write the Orion address as http://host:port.', 'pt-BR': 'Escreva o endereço do Orion como http://host:porta.' },
  'settings.problem.hosts': { en: 'Give at least one address, for example 127.0.0.1.', 'pt-BR': 'Informe pelo menos um endereço, por exemplo 127.0.0.1.' },
  'settings.problem.allowedHosts': {
    en: 'Give names or addresses only, without http:// or port, for example iot.school.lan.',
    'pt-BR': 'Informe apenas nomes ou endereços, sem http:// nem porta, por exemplo iot.escola.lan.'
  },
  'settings.problem.corsOrigin': {
    en: 'Give __ALL or one origin such as http://localhost:3000 (no path), or leave it empty.',
    'pt-BR': 'Informe __ALL ou uma origem como http://localhost:3000 (sem caminho), ou deixe vazio.'
  },
  'settings.problem.port': { en: 'A port is a whole number from 0 to 65535 (0 picks a free one).', 'pt-BR': 'Uma porta é um inteiro de 0 a 65535 (0 escolhe uma livre).' },
  'settings.problem.providerUrl': {
    en: 'Write the agent’s address as http://host:port, or leave it empty.',
    'pt-BR': 'Escreva o endereço do agente como http://host:porta, ou deixe vazio.'
  },
  'settings.problem.corsMaxAge': {
    en: 'Give the time in seconds, a whole number from 0 to 2147483647.',
    'pt-BR': 'Informe o tempo em segundos, um inteiro de 0 a 2147483647.'
  },
  'settings.problem.portOrOff': {
    en: 'A port is a whole number from 0 to 65535 (0 picks a free one); leave it empty to turn the listener off.',
    'pt-BR': 'Uma porta é um inteiro de 0 a 65535 (0 escolhe uma livre); deixe vazio para desligar o listener.'
  },
  'settings.problem.tlsFiles': {
    en: 'A TLS port needs both the certificate and the key file.',
    'pt-BR': 'Uma porta TLS precisa dos dois arquivos: o certificado e a chave.'
  },
  'settings.problem.tlsCa': {
    en: 'To require client certificates, give the CA file that signs them.',
    'pt-BR': 'Para exigir certificados de cliente, informe o arquivo da CA que os assina.'
  },
  'settings.problem.certPair': {
    en: 'The client certificate and its key go together: give both files, or neither.',
    'pt-BR': 'O certificado do cliente e a chave andam juntos: informe os dois arquivos, ou nenhum.'
  },
  'settings.problem.historyRetentionDays': {
    en: 'Give the number of days, a whole number from 1 to 3650.',
    'pt-BR': 'Informe o número de dias, um inteiro de 1 a 3650.'
  },
  'settings.problem.historyMaxPoints': {
    en: 'Give the number of points, a whole number from 1000 to 20000000.',
    'pt-BR': 'Informe o número de pontos, um inteiro de 1000 a 20000000.'
  },
  'settings.history': { en: 'History', 'pt-BR': 'Histórico' },
  'settings.historyIntro': {
    en: 'The built-in history keeps every value the context broker notifies to the Cygnus sink, for the History page and the STH-Comet API. It is kept on disk in the data folder. Takes effect when the engine restarts, like the ports.',
    'pt-BR': 'O histórico embutido guarda cada valor que o context broker notifica ao coletor do Cygnus, para a página Histórico e a API do STH-Comet. Ele fica em disco, na pasta de dados. Vale quando o motor reiniciar, como as portas.'
  },
  'settings.historyRetentionDays': { en: 'Keep points for (days)', 'pt-BR': 'Guardar pontos por (dias)' },
  'settings.historyRetentionDaysHint': {
    en: 'Points that arrived longer ago than this are deleted. From 1 to 3650; 30 by default.',
    'pt-BR': 'Pontos que chegaram há mais tempo que isso são apagados. De 1 a 3650; 30 por padrão.'
  },
  'settings.historyMaxPoints': { en: 'Points kept at most', 'pt-BR': 'Máximo de pontos guardados' },
  'settings.historyMaxPointsHint': {
    en: 'Over this count, the oldest points go first. This bounds the memory and the disk the history uses. From 1000 to 20000000; 1000000 by default.',
    'pt-BR': 'Acima deste total, os pontos mais antigos saem primeiro. Isso limita a memória e o disco que o histórico usa. De 1000 a 20000000; 1000000 por padrão.'
  },

  'settings.certFile': { en: 'Client certificate file (PEM)', 'pt-BR': 'Arquivo do certificado do cliente (PEM)' },
  'settings.keyFile': { en: 'Client key file (PEM)', 'pt-BR': 'Arquivo da chave do cliente (PEM)' },
  'settings.certFileHint': {
    en: 'Only for brokers that ask for a client certificate (mqtts:// or wss://). Paths on the engine’s computer.',
    'pt-BR': 'Só para brokers que exigem certificado de cliente (mqtts:// ou wss://). Caminhos no computador do motor.'
  },
  'settings.tlsTitle': { en: 'TLS listeners of the built-in broker', 'pt-BR': 'Listeners TLS do broker embutido' },
  'settings.tlsIntro': {
    en: 'Optional, beside the plain ports: MQTT over TLS (mqtts, usually 8883) and MQTT over secure WebSocket (wss), as a Mosquitto listener with certfile and keyfile. Paths on the engine’s computer.',
    'pt-BR': 'Opcional, ao lado das portas sem TLS: MQTT sobre TLS (mqtts, em geral 8883) e MQTT sobre WebSocket seguro (wss), como um listener do Mosquitto com certfile e keyfile. Caminhos no computador do motor.'
  },
  'settings.tlsPort': { en: 'MQTT over TLS port (mqtts)', 'pt-BR': 'Porta MQTT sobre TLS (mqtts)' },
  'settings.wssPort': { en: 'Secure WebSocket port (wss)', 'pt-BR': 'Porta WebSocket seguro (wss)' },
  'settings.tlsPortHint': {
    en: 'Empty: off. A TLS port needs the certificate and the key below.',
    'pt-BR': 'Vazio: desligada. Uma porta TLS precisa do certificado e da chave abaixo.'
  },
  'settings.tlsCertFile': { en: 'Broker certificate file (PEM)', 'pt-BR': 'Arquivo do certificado do broker (PEM)' },
  'settings.tlsCertFileHint': { en: 'Mosquitto’s certfile: the broker’s certificate, with its chain.', 'pt-BR': 'O certfile do Mosquitto: o certificado do broker, com sua cadeia.' },
  'settings.tlsKeyFile': { en: 'Broker private key file (PEM)', 'pt-BR': 'Arquivo da chave privada do broker (PEM)' },
  'settings.tlsKeyFileHint': { en: 'Mosquitto’s keyfile: the key of that certificate.', 'pt-BR': 'O keyfile do Mosquitto: a chave desse certificado.' },
  'settings.tlsCaFile': { en: 'CA file of client certificates (PEM)', 'pt-BR': 'Arquivo da CA dos certificados de cliente (PEM)' },
  'settings.tlsCaFileHint': {
    en: 'Mosquitto’s cafile: the authority that signs the clients’ certificates. Optional unless client certificates are required.',
    'pt-BR': 'O cafile do Mosquitto: a autoridade que assina os certificados dos clientes. Opcional, a não ser que certificados de cliente sejam exigidos.'
  },
  'settings.requireCertificate': { en: 'Require a client certificate', 'pt-BR': 'Exigir certificado de cliente' },
  'settings.requireCertificateHint': {
    en: 'Mosquitto’s require_certificate: TLS clients without a certificate signed by that CA are refused. The plain ports are not affected.',
    'pt-BR': 'O require_certificate do Mosquitto: clientes TLS sem um certificado assinado por essa CA são recusados. As portas sem TLS não mudam.'
  },
  'settings.providerUrl': { en: 'The agent’s address for the context broker (provider URL)', 'pt-BR': 'Endereço do agente para o context broker (provider URL)' },
  'settings.providerUrlHint': {
    en: 'The URL the agent registers in the context broker to receive commands: the IoT Agent UltraLight API (north port). Empty: this engine’s own address. With an external Orion, write an address Orion can reach, such as http://192.168.0.10:4041.',
    'pt-BR': 'A URL que o agente registra no context broker para receber comandos: a API do Agente IoT UltraLight (porta norte). Vazio: o próprio endereço deste motor. Com um Orion externo, escreva um endereço que o Orion alcance, como http://192.168.0.10:4041.'
  },

  'settings.test.button': { en: 'Test connection', 'pt-BR': 'Testar conexão' },
  'settings.test.mqttLabel': { en: 'Test connection to the MQTT broker', 'pt-BR': 'Testar conexão com o broker MQTT' },
  'settings.test.cbLabel': { en: 'Test connection to the Orion', 'pt-BR': 'Testar conexão com o Orion' },
  'settings.test.running': { en: 'Testing…', 'pt-BR': 'Testando…' },
  'settings.test.hint': { en: 'Tests the values above, before they are saved.', 'pt-BR': 'Testa os valores acima, antes de serem salvos.' },
  'settings.test.okMqtt': { en: 'Connected in {ms} ms · the broker accepted the connection', 'pt-BR': 'Conectado em {ms} ms · o broker aceitou a conexão' },
  'settings.test.okOrion': { en: 'Connected in {ms} ms · Orion {version}', 'pt-BR': 'Conectado em {ms} ms · Orion {version}' },
  'settings.test.reason.badUrl': { en: 'Not a usable address: check the scheme, the host and the port.', 'pt-BR': 'Endereço inutilizável: confira o esquema, o host e a porta.' },
  'settings.test.reason.fileUnreadable': {
    en: 'A certificate or key file could not be read on the engine’s computer.',
    'pt-BR': 'Não foi possível ler um arquivo de certificado ou de chave no computador do motor.'
  },
  'settings.test.reason.fileInvalid': {
    en: 'A certificate or key file is not usable PEM, or the key does not match the certificate.',
    'pt-BR': 'Um arquivo de certificado ou de chave não é um PEM utilizável, ou a chave não corresponde ao certificado.'
  },
  'settings.test.reason.dns': { en: 'Host not found: the name does not resolve.', 'pt-BR': 'Host não encontrado: o nome não foi resolvido.' },
  'settings.test.reason.refused': { en: 'Refused: nothing listens on that port.', 'pt-BR': 'Recusado: nada escuta nessa porta.' },
  'settings.test.reason.reset': { en: 'The server closed the connection.', 'pt-BR': 'O servidor fechou a conexão.' },
  'settings.test.reason.unreachable': { en: 'The host cannot be reached from the engine’s network.', 'pt-BR': 'O host não pode ser alcançado a partir da rede do motor.' },
  'settings.test.reason.timeout': {
    en: 'No answer in time: the host may be down, or a firewall drops the connection.',
    'pt-BR': 'Sem resposta a tempo: o host pode estar fora do ar, ou um firewall descarta a conexão.'
  },
  'settings.test.reason.notTls': {
    en: 'The server does not speak TLS on that port: use mqtt:// (or http://), or the port with TLS.',
    'pt-BR': 'O servidor não usa TLS nessa porta: use mqtt:// (ou http://), ou a porta com TLS.'
  },
  'settings.test.reason.tlsUntrusted': {
    en: 'The server’s certificate is not signed by a trusted authority: give the CA certificate file.',
    'pt-BR': 'O certificado do servidor não foi assinado por uma autoridade confiável: informe o arquivo do certificado da CA.'
  },
  'settings.test.reason.tlsHostname': { en: 'The server’s certificate is for another host name.', 'pt-BR': 'O certificado do servidor é de outro nome de host.' },
  'settings.test.reason.tlsExpired': { en: 'The server’s certificate has expired or is not valid yet.', 'pt-BR': 'O certificado do servidor expirou ou ainda não é válido.' },
  'settings.test.reason.tlsClientCert': {
    en: 'The server requires a client certificate it trusts: give the certificate and key files.',
    'pt-BR': 'O servidor exige um certificado de cliente em que confie: informe os arquivos do certificado e da chave.'
  },
  'settings.test.reason.tlsOther': { en: 'The secure (TLS) connection failed.', 'pt-BR': 'A conexão segura (TLS) falhou.' },
  'settings.test.reason.auth': { en: 'Refused: wrong user name or password.', 'pt-BR': 'Recusado: usuário ou senha incorretos.' },
  'settings.test.reason.authHttp': { en: 'Refused: the server asks for authentication (a token).', 'pt-BR': 'Recusado: o servidor exige autenticação (um token).' },
  'settings.test.reason.notAuthorized': { en: 'Refused: this user is not authorized.', 'pt-BR': 'Recusado: este usuário não tem autorização.' },
  'settings.test.reason.forbidden': { en: 'Refused: access forbidden.', 'pt-BR': 'Recusado: acesso proibido.' },
  'settings.test.reason.mqttRefused': { en: 'The broker refused the connection.', 'pt-BR': 'O broker recusou a conexão.' },
  'settings.test.reason.notMqtt': {
    en: 'Something answers on that port, but not as an MQTT broker.',
    'pt-BR': 'Algo responde nessa porta, mas não como um broker MQTT.'
  },
  'settings.test.reason.httpStatus': { en: 'The server answered with an HTTP error ({status}).', 'pt-BR': 'O servidor respondeu com um erro HTTP ({status}).' },
  'settings.test.reason.notOrion': { en: 'The server answers, but not as Orion (GET /version).', 'pt-BR': 'O servidor responde, mas não como um Orion (GET /version).' },
  'settings.test.reason.authFailed': {
    en: 'Orion (or the PEP proxy in front of it) refused the token: check the token or the credentials it is obtained with.',
    'pt-BR': 'O Orion (ou o proxy PEP na frente dele) recusou o token: confira o token ou as credenciais usadas para obtê-lo.'
  },
  'settings.test.reason.credentialsRefused': {
    en: 'The token service refused the credentials: check the user and password, or the client id, secret and refresh token.',
    'pt-BR': 'O serviço de tokens recusou as credenciais: confira usuário e senha, ou client id, secret e refresh token.'
  },
  'settings.test.reason.tokenService': {
    en: 'No token: the token service does not answer or answered with an error.',
    'pt-BR': 'Sem token: o serviço de tokens não responde ou respondeu com um erro.'
  },
  'settings.test.reason.authIncomplete': {
    en: 'Authentication is not complete: a field this type needs is empty.',
    'pt-BR': 'A autenticação está incompleta: um campo exigido por este tipo está vazio.'
  },
  'settings.test.reason.busy': { en: 'A test of this connection is already running.', 'pt-BR': 'Um teste desta conexão já está em andamento.' },
  'settings.test.reason.other': { en: 'The connection failed.', 'pt-BR': 'A conexão falhou.' },

  'settings.pendingTitle': { en: 'Saved; takes effect when the engine restarts:', 'pt-BR': 'Salvo; vale quando o motor reiniciar:' },
  'settings.pendingItem': { en: '{setting}: {saved} (now {running})', 'pt-BR': '{setting}: {saved} (agora {running})' },
  'settings.pendingSecret': { en: '{setting}: changed', 'pt-BR': '{setting}: alterada' },
  'settings.notSet': { en: 'not set', 'pt-BR': 'não definido' },
  'settings.value.embedded': { en: 'built in', 'pt-BR': 'embutido' },
  'settings.value.external': { en: 'external', 'pt-BR': 'externo' },
  'settings.startProblem': {
    en: 'The settings file could not be used when the engine started. Details:',
    'pt-BR': 'O arquivo de configurações não pôde ser usado quando o motor iniciou. Detalhes:'
  },
  'settings.fileReplaced': {
    en: 'The settings file did not hold valid settings: it was kept as {backup} and replaced by the saved settings.',
    'pt-BR': 'O arquivo de configurações não tinha configurações válidas: ele foi guardado como {backup} e substituído pelas configurações salvas.'
  },
  'settings.fixedRefused': {
    en: 'A setting fixed by a command-line option or an environment variable cannot be changed here.',
    'pt-BR': 'Uma configuração fixada por opção de linha de comando ou variável de ambiente não pode ser alterada aqui.'
  },

  'settings.label.hosts': { en: 'Listening addresses', 'pt-BR': 'Endereços de escuta' },
  'settings.label.allowedHosts': { en: 'Further allowed host names', 'pt-BR': 'Outros nomes de host aceitos' },
  'settings.label.cors.origin': { en: 'CORS origin of the context broker', 'pt-BR': 'Origem CORS do context broker' },
  'settings.label.cors.maxAge': { en: 'CORS preflight cache time', 'pt-BR': 'Tempo de cache do preflight CORS' },
  'settings.label.ports.ngsi': { en: 'Context broker port', 'pt-BR': 'Porta do context broker' },
  'settings.label.ports.north': { en: 'IoT Agent UltraLight API port', 'pt-BR': 'Porta da API do Agente IoT UltraLight' },
  'settings.label.ports.mqtt': { en: 'MQTT port', 'pt-BR': 'Porta MQTT' },
  'settings.label.ports.mqttWs': { en: 'MQTT WebSocket port', 'pt-BR': 'Porta MQTT WebSocket' },
  'settings.label.ports.south': { en: 'Agents\' HTTP south port', 'pt-BR': 'Porta HTTP sul dos agentes' },
  'settings.label.ports.jsonNorth': { en: 'IoT Agent JSON provisioning port', 'pt-BR': 'Porta de provisionamento do Agente IoT JSON' },
  'settings.label.ports.contextProvider': { en: 'Context provider port', 'pt-BR': 'Porta do provedor de contexto' },
  'settings.label.ports.devices': { en: 'HTTP dummy devices port', 'pt-BR': 'Porta dos dispositivos HTTP simulados' },
  'settings.label.ports.cygnus': { en: 'Cygnus notification port', 'pt-BR': 'Porta de notificações do Cygnus' },
  'settings.label.ports.cygnusApi': { en: 'Cygnus management port', 'pt-BR': 'Porta de gerenciamento do Cygnus' },
  'settings.label.ports.sth': { en: 'STH-Comet history port', 'pt-BR': 'Porta do histórico STH-Comet' },
  'settings.label.tutorialHosts': { en: 'Tutorial host names to built-in services', 'pt-BR': 'Nomes de host dos tutoriais para serviços embutidos' },
  'settings.label.ports.gui': { en: 'Browser window port', 'pt-BR': 'Porta da janela no navegador' },
  'settings.label.mqtt.mode': { en: 'MQTT broker', 'pt-BR': 'Broker MQTT' },
  'settings.label.mqtt.url': { en: 'Broker URL', 'pt-BR': 'URL do broker' },
  'settings.label.mqtt.username': { en: 'Broker user name', 'pt-BR': 'Usuário do broker' },
  'settings.label.mqtt.password': { en: 'Broker password', 'pt-BR': 'Senha do broker' },
  'settings.label.mqtt.caFile': { en: 'Broker CA certificate file', 'pt-BR': 'Arquivo do certificado da CA do broker' },
  'settings.label.mqtt.certFile': { en: 'Client certificate file', 'pt-BR': 'Arquivo do certificado do cliente' },
  'settings.label.mqtt.keyFile': { en: 'Client key file', 'pt-BR': 'Arquivo da chave do cliente' },
  'settings.label.mqtt.rejectUnauthorized': { en: 'Check the broker’s certificate', 'pt-BR': 'Verificar o certificado do broker' },
  'settings.label.mqtt.clientId': { en: 'MQTT client id prefix', 'pt-BR': 'Prefixo do client id MQTT' },
  'settings.label.mqtt.keepalive': { en: 'MQTT keep-alive', 'pt-BR': 'Keep-alive MQTT' },
  'settings.protocolVersion': { en: 'Protocol version', 'pt-BR': 'Versão do protocolo' },
  'settings.label.mqtt.protocolVersion': { en: 'MQTT protocol version (4 = 3.1.1, 5)', 'pt-BR': 'Versão do protocolo MQTT (4 = 3.1.1, 5)' },
  'settings.label.mqtt.passwordFile': { en: 'Broker password file (mosquitto_passwd)', 'pt-BR': 'Arquivo de senhas do broker (mosquitto_passwd)' },
  'settings.label.mqtt.aclFile': { en: 'Broker ACL file', 'pt-BR': 'Arquivo de ACL do broker' },
  'settings.label.mqtt.allowAnonymous': { en: 'Clients without user name may connect', 'pt-BR': 'Clientes sem usuário podem se conectar' },
  'settings.label.mqtt.tlsPort': { en: 'Broker MQTT over TLS port (mqtts)', 'pt-BR': 'Porta do broker para MQTT sobre TLS (mqtts)' },
  'settings.label.mqtt.wssPort': { en: 'Broker secure WebSocket port (wss)', 'pt-BR': 'Porta do broker para WebSocket seguro (wss)' },
  'settings.label.mqtt.tlsCertFile': { en: 'Broker TLS certificate (PEM)', 'pt-BR': 'Certificado TLS do broker (PEM)' },
  'settings.label.mqtt.tlsKeyFile': { en: 'Broker TLS private key (PEM)', 'pt-BR': 'Chave privada TLS do broker (PEM)' },
  'settings.label.mqtt.tlsCaFile': { en: 'CA of client certificates (PEM)', 'pt-BR': 'CA dos certificados de cliente (PEM)' },
  'settings.label.mqtt.requireCertificate': { en: 'TLS clients must present a certificate', 'pt-BR': 'Clientes TLS precisam apresentar um certificado' },
  'settings.label.mqttPublish.qos': { en: 'QoS of the agent’s publications', 'pt-BR': 'QoS das publicações do agente' },
  'settings.label.mqttPublish.retain': { en: 'Retain flag of the agent’s publications', 'pt-BR': 'Flag retain das publicações do agente' },
  'settings.label.contextBroker.mode': { en: 'Context broker', 'pt-BR': 'Context broker' },
  'settings.label.contextBroker.url': { en: 'Orion URL', 'pt-BR': 'URL do Orion' },
  'settings.label.contextBroker.queueMaxUpdates': { en: 'Orion queue: most updates kept', 'pt-BR': 'Fila do Orion: máximo de atualizações' },
  'settings.label.contextBroker.queueMaxBytes': { en: 'Orion queue: largest size', 'pt-BR': 'Fila do Orion: tamanho máximo' },
  'settings.label.contextBroker.timeoutMs': { en: 'Orion request timeout', 'pt-BR': 'Tempo limite das requisições ao Orion' },
  'settings.label.contextBroker.retryMaxMs': { en: 'Longest wait between Orion retries', 'pt-BR': 'Maior espera entre tentativas com o Orion' },
  'settings.label.contextBroker.caFile': { en: 'Orion CA certificate file', 'pt-BR': 'Arquivo do certificado da CA do Orion' },
  'settings.label.contextBroker.auth.type': { en: 'Orion authentication', 'pt-BR': 'Autenticação no Orion' },
  'settings.label.contextBroker.auth.header': { en: 'Orion token header', 'pt-BR': 'Cabeçalho do token do Orion' },
  'settings.label.contextBroker.auth.url': { en: 'Token service URL', 'pt-BR': 'URL do serviço de tokens' },
  'settings.label.contextBroker.auth.tokenPath': { en: 'OAuth2 token path', 'pt-BR': 'Caminho do token OAuth2' },
  'settings.label.contextBroker.auth.user': { en: 'Keystone user', 'pt-BR': 'Usuário do Keystone' },
  'settings.label.contextBroker.auth.password': { en: 'Keystone password', 'pt-BR': 'Senha do Keystone' },
  'settings.label.contextBroker.auth.clientId': { en: 'OAuth2 client id', 'pt-BR': 'Client id OAuth2' },
  'settings.label.contextBroker.auth.clientSecret': { en: 'OAuth2 client secret', 'pt-BR': 'Client secret OAuth2' },
  'settings.label.contextBroker.auth.trust': { en: 'Trust / refresh token', 'pt-BR': 'Trust / refresh token' },
  'settings.label.contextBroker.auth.permanentToken': { en: 'Permanent OAuth2 token', 'pt-BR': 'Token OAuth2 permanente' },
  'settings.label.contextBroker.auth.token': { en: 'Fixed Orion token', 'pt-BR': 'Token fixo do Orion' },
  'settings.label.iota.defaultResource': { en: 'Default resource', 'pt-BR': 'Resource padrão' },
  'settings.label.iota.defaultKey': { en: 'Default API key', 'pt-BR': 'Chave de API padrão' },
  'settings.label.iota.defaultType': { en: 'Default entity type', 'pt-BR': 'Tipo de entidade padrão' },
  'settings.label.iota.defaultTransport': { en: 'Default transport', 'pt-BR': 'Transporte padrão' },
  'settings.label.iota.timestamp': { en: 'Timestamps (TimeInstant)', 'pt-BR': 'Carimbos de tempo (TimeInstant)' },
  'settings.label.iota.explicitAttrs': { en: 'Explicit attributes only', 'pt-BR': 'Só atributos explícitos' },
  'settings.label.iota.entityNameConjunction': { en: 'Entity name separator', 'pt-BR': 'Separador do nome da entidade' },
  'settings.label.iota.providerUrl': { en: 'The agent’s provider URL', 'pt-BR': 'Provider URL do agente' },
  'settings.label.iota.commandTimeoutMs': { en: 'Command timeout', 'pt-BR': 'Tempo limite dos comandos' },
  'settings.label.iota.bodyLimit': { en: 'Largest provisioning request', 'pt-BR': 'Maior requisição de provisionamento' },
  'settings.label.persistence.flushIntervalMs': { en: 'Save interval', 'pt-BR': 'Intervalo de gravação' },
  'settings.label.persistence.commitDelayMs': { en: 'Wait to group writes', 'pt-BR': 'Espera para agrupar gravações' },
  'settings.label.persistence.compactionIntervalMs': { en: 'Compaction interval', 'pt-BR': 'Intervalo de compactação' },
  'settings.label.limits.inspectorMessages': { en: 'Messages kept by the inspector', 'pt-BR': 'Mensagens guardadas pelo inspetor' },
  'settings.label.limits.inspectorBytes': { en: 'Inspector memory', 'pt-BR': 'Memória do inspetor' },
  'settings.label.limits.inspectorTopics': { en: 'Topics kept by the inspector', 'pt-BR': 'Tópicos guardados pelo inspetor' },
  'settings.label.limits.logEntries': { en: 'Log entries kept', 'pt-BR': 'Entradas de log guardadas' },
  'settings.label.limits.telemetryPoints': { en: 'Points per chart', 'pt-BR': 'Pontos por gráfico' },
  'settings.label.history.retentionDays': { en: 'History kept (days)', 'pt-BR': 'Histórico guardado (dias)' },
  'settings.label.history.maxPoints': { en: 'History points kept at most', 'pt-BR': 'Máximo de pontos no histórico' },
  'settings.label.logLevel': { en: 'Log level', 'pt-BR': 'Nível de log' }
})
