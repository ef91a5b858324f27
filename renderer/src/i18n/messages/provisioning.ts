import { defineMessages } from '../define'

export const provisioning = defineMessages({
  'prov.groups': { en: 'Service groups', 'pt-BR': 'Grupos de serviço' },
  'prov.devices': { en: 'Devices', 'pt-BR': 'Dispositivos' },
  'prov.group': { en: 'Group', 'pt-BR': 'Grupo' },
  'prov.device': { en: 'Device', 'pt-BR': 'Dispositivo' },
  'prov.search': { en: 'Search', 'pt-BR': 'Buscar' },
  'prov.newGroup': { en: 'New service group', 'pt-BR': 'Novo grupo de serviço' },
  'prov.newDevice': { en: 'New device', 'pt-BR': 'Novo dispositivo' },
  'prov.editGroup': { en: 'Edit service group', 'pt-BR': 'Editar grupo de serviço' },
  'prov.editDevice': { en: 'Edit device', 'pt-BR': 'Editar dispositivo' },
  'prov.createGroup': { en: 'Create group', 'pt-BR': 'Criar grupo' },
  'prov.createDevice': { en: 'Provision device', 'pt-BR': 'Provisionar dispositivo' },
  'prov.preset': { en: 'Tutorial {n} preset', 'pt-BR': 'Preencher como no tutorial {n}' },
  'prov.agent': { en: 'IoT Agent', 'pt-BR': 'Agente IoT' },
  'prov.agentUl': { en: 'UltraLight 2.0', 'pt-BR': 'UltraLight 2.0' },
  'prov.agentJson': { en: 'JSON', 'pt-BR': 'JSON' },
  'prov.agentHint': {
    en: 'Each agent has its own service groups and devices, as two FIWARE agents have two databases. This page sends its requests to {url}.',
    'pt-BR': 'Cada agente tem seus próprios grupos de serviço e dispositivos, como dois agentes FIWARE têm dois bancos de dados. Esta página envia os pedidos para {url}.'
  },
  'prov.agentAbsent': {
    en: 'This agent’s provisioning port is not listening: the requests below would be refused.',
    'pt-BR': 'A porta de provisionamento deste agente não está escutando: os pedidos abaixo seriam recusados.'
  },
  'prov.endpoint': { en: 'Endpoint (HTTP device)', 'pt-BR': 'Endpoint (dispositivo HTTP)' },
  'prov.endpointHint': {
    en: 'The agent pushes commands to this address, for example http://dummy-device:80/dht22. Left empty, the device polls: its commands wait for its next request with getCmd=1.',
    'pt-BR': 'O agente envia os comandos para este endereço, por exemplo http://dummy-device:80/dht22. Se ficar vazio, o dispositivo consulta: os comandos esperam o próximo pedido dele com getCmd=1.'
  },
  'prov.apikeyHintJson': {
    en: 'Devices put this key in their MQTT topics, for example json/<key>/device001/attrs, or in k= of their HTTP requests: /iot/json?k=<key>&i=device001.',
    'pt-BR': 'Os dispositivos colocam esta chave nos tópicos MQTT, por exemplo json/<chave>/device001/attrs, ou no k= dos pedidos HTTP: /iot/json?k=<chave>&i=device001.'
  },
  'prov.resourceHintJson': {
    en: 'The path devices post their measures to over HTTP: /iot/json in tutorial 6. For devices on MQTT only it may stay empty.',
    'pt-BR': 'O caminho para onde os dispositivos enviam as medidas via HTTP: /iot/json no tutorial 6. Para dispositivos só em MQTT pode ficar vazio.'
  },
  'prov.generate': { en: 'Generate', 'pt-BR': 'Gerar' },
  'prov.apikey': { en: 'API key', 'pt-BR': 'Chave de API' },
  'prov.apikeyHint': {
    en: 'Devices put this key in their MQTT topics, for example ul/<key>/device001/attrs.',
    'pt-BR': 'Os dispositivos colocam esta chave nos tópicos MQTT, por exemplo ul/<chave>/device001/attrs.'
  },
  'prov.entityType': { en: 'Entity type', 'pt-BR': 'Tipo de entidade' },
  'prov.entityTypeHint': {
    en: 'The NGSI type of the entities of this group’s devices, for example Device.',
    'pt-BR': 'O tipo NGSI das entidades dos dispositivos deste grupo, por exemplo Device.'
  },
  'prov.resource': { en: 'Resource', 'pt-BR': 'Recurso' },
  'prov.resourceHint': {
    en: 'Only used over HTTP. For MQTT leave it empty, as the tutorial does.',
    'pt-BR': 'Só é usado via HTTP. Para MQTT deixe vazio, como faz o tutorial.'
  },
  'prov.autoprovision': {
    en: 'Create unknown devices automatically when they send their first measure',
    'pt-BR': 'Criar dispositivos desconhecidos automaticamente quando enviarem a primeira medida'
  },
  'prov.autoprovisionShort': { en: 'Automatic devices', 'pt-BR': 'Dispositivos automáticos' },
  'prov.groupShared': { en: 'Attributes, commands and static attributes shared by all devices', 'pt-BR': 'Atributos, comandos e atributos estáticos comuns a todos os dispositivos' },
  'prov.attributes': { en: 'Attributes (measures)', 'pt-BR': 'Atributos (medidas)' },
  'prov.attributesHint': {
    en: 'Each row maps a key the device sends (object_id) to an attribute of the entity.',
    'pt-BR': 'Cada linha liga uma chave que o dispositivo envia (object_id) a um atributo da entidade.'
  },
  'prov.commands': { en: 'Commands', 'pt-BR': 'Comandos' },
  'prov.commandsHint': {
    en: 'Commands the device accepts; each becomes a button on the device page.',
    'pt-BR': 'Comandos que o dispositivo aceita; cada um vira um botão na tela do dispositivo.'
  },
  'prov.statics': { en: 'Static attributes', 'pt-BR': 'Atributos estáticos' },
  'prov.staticsHint': {
    en: 'Fixed values added to the entity on every update, such as the store it belongs to.',
    'pt-BR': 'Valores fixos adicionados à entidade em toda atualização, como a loja a que pertence.'
  },
  'prov.objectId': { en: 'Key sent (object_id)', 'pt-BR': 'Chave enviada (object_id)' },
  'prov.attrName': { en: 'Attribute name', 'pt-BR': 'Nome do atributo' },
  'prov.attrType': { en: 'Type', 'pt-BR': 'Tipo' },
  'prov.cmdName': { en: 'Command name', 'pt-BR': 'Nome do comando' },
  'prov.value': { en: 'Value', 'pt-BR': 'Valor' },
  'prov.deviceId': { en: 'Device id', 'pt-BR': 'Id do dispositivo' },
  'prov.entityName': { en: 'Entity id', 'pt-BR': 'Id da entidade' },
  'prov.entityNameHint': { en: 'Left empty, it will be {name}.', 'pt-BR': 'Se ficar vazio, será {name}.' },
  'prov.transport': { en: 'Transport', 'pt-BR': 'Transporte' },
  'prov.protocol': { en: 'Protocol (optional)', 'pt-BR': 'Protocolo (opcional)' },
  'prov.deviceApikey': { en: 'API key (optional)', 'pt-BR': 'Chave de API (opcional)' },
  'prov.fromGroup': { en: 'the group’s key', 'pt-BR': 'a chave do grupo' },
  'prov.fixProblems': {
    en: 'Correct the problem shown above first. | Correct the {n} problems shown above first.',
    'pt-BR': 'Corrija antes o problema indicado acima. | Corrija antes os {n} problemas indicados acima.'
  },
  'prov.preview': { en: 'Equivalent request', 'pt-BR': 'Pedido equivalente' },
  'prov.jsonBody': { en: 'JSON body', 'pt-BR': 'Corpo JSON' },
  'prov.copyJson': { en: 'Copy the JSON body', 'pt-BR': 'Copiar o corpo JSON' },
  'prov.copyCurl': { en: 'Copy the curl command', 'pt-BR': 'Copiar o comando curl' },
  'prov.curl': { en: 'Same request with curl', 'pt-BR': 'O mesmo pedido com curl' },
  'prov.cbrokerNote': {
    en: 'The tutorial’s body also has "cbroker": "{url}". It is not needed here: the context broker is chosen in Settings.',
    'pt-BR': 'O corpo do tutorial também tem "cbroker": "{url}". Aqui ele não é necessário: o context broker é escolhido em Configurações.'
  },
  'prov.scopeSwitched': {
    en: 'Now working in fiware-service {service}, fiware-servicepath {path}, as the tutorial does.',
    'pt-BR': 'Agora trabalhando em fiware-service {service}, fiware-servicepath {path}, como no tutorial.'
  },
  'prov.groupCreated': { en: 'Service group {apikey} created.', 'pt-BR': 'Grupo de serviço {apikey} criado.' },
  'prov.groupUpdated': { en: 'Service group {apikey} saved.', 'pt-BR': 'Grupo de serviço {apikey} salvo.' },
  'prov.deviceCreated': { en: 'Device {id} provisioned.', 'pt-BR': 'Dispositivo {id} provisionado.' },
  'prov.deviceUpdated': { en: 'Device {id} saved.', 'pt-BR': 'Dispositivo {id} salvo.' },
  'prov.openDevice': { en: 'Open the device', 'pt-BR': 'Abrir o dispositivo' },
  'prov.open': { en: 'Open', 'pt-BR': 'Abrir' },
  'prov.entity': { en: 'Entity', 'pt-BR': 'Entidade' },
  'prov.attrCount': { en: 'Attrs', 'pt-BR': 'Atribs' },
  'prov.actions': { en: 'Actions', 'pt-BR': 'Ações' },
  'prov.noGroups': {
    en: 'No service group in this service and service path yet.',
    'pt-BR': 'Ainda não há grupo de serviço neste serviço e caminho de serviço.'
  },
  'prov.noDevices': {
    en: 'No device in this service and service path yet.',
    'pt-BR': 'Ainda não há dispositivo neste serviço e caminho de serviço.'
  },
  'prov.noMatch': { en: 'Nothing matches the search.', 'pt-BR': 'Nada corresponde à busca.' },
  'prov.showing': { en: 'Showing {n} of {total}.', 'pt-BR': 'Mostrando {n} de {total}.' },
  'prov.loadMore': { en: 'Load more', 'pt-BR': 'Carregar mais' },
  'prov.groupsExplain': {
    en: 'A service group is what the tutorial calls a service (POST /iot/services): the API key of a set of devices and the entity type they get.',
    'pt-BR': 'Um grupo de serviço é o que o tutorial chama de serviço (POST /iot/services): a chave de API de um conjunto de dispositivos e o tipo de entidade que recebem.'
  },
  'prov.deleteGroupTitle': { en: 'Delete the service group?', 'pt-BR': 'Excluir o grupo de serviço?' },
  'prov.deleteGroupText': {
    en: 'Messages with the API key {id} will be rejected once the group is gone. Its devices are kept.',
    'pt-BR': 'Mensagens com a chave de API {id} serão rejeitadas sem o grupo. Seus dispositivos são mantidos.'
  },
  'prov.deleteDeviceTitle': { en: 'Delete the device?', 'pt-BR': 'Excluir o dispositivo?' },
  'prov.deleteDeviceText': {
    en: 'Device {id} will be removed from the IoT Agent, with its command registration.',
    'pt-BR': 'O dispositivo {id} será removido do Agente IoT, com o registro dos seus comandos.'
  },
  'prov.groupDeleted': { en: 'Service group {id} deleted.', 'pt-BR': 'Grupo de serviço {id} excluído.' },
  'prov.deviceDeleted': { en: 'Device {id} deleted.', 'pt-BR': 'Dispositivo {id} excluído.' },
  'prov.restored': { en: '{id} is back.', 'pt-BR': '{id} foi restaurado.' },
  'prov.export': { en: 'Export JSON', 'pt-BR': 'Exportar JSON' },
  'prov.import': { en: 'Import JSON', 'pt-BR': 'Importar JSON' },
  'prov.exported': { en: 'Exported. Groups: {groups}; devices: {devices}.', 'pt-BR': 'Exportado. Grupos: {groups}; dispositivos: {devices}.' },
  'prov.importNotJson': { en: '{file} is not a JSON file.', 'pt-BR': '{file} não é um arquivo JSON.' },
  'prov.importShape': {
    en: 'The file has no "services" or "devices" list, as the IoT Agent writes them.',
    'pt-BR': 'O arquivo não tem uma lista "services" ou "devices", como o Agente IoT as escreve.'
  },
  'prov.importResult': { en: 'Import result', 'pt-BR': 'Resultado da importação' },
  'prov.importSummary': { en: 'Created: {ok}; not created: {failed}.', 'pt-BR': 'Criados: {ok}; não criados: {failed}.' },
  'prov.failed': { en: 'not created', 'pt-BR': 'não criado' },

  'form.problem.endpointUrl': {
    en: 'Enter an http:// or https:// address, for example http://dummy-device:80/dht22.',
    'pt-BR': 'Informe um endereço http:// ou https://, por exemplo http://dummy-device:80/dht22.'
  },
  'form.problem.apikeyRequired': { en: 'Enter an API key (or press Generate).', 'pt-BR': 'Informe uma chave de API (ou pressione Gerar).' },
  'form.problem.apikeyChars': {
    en: 'An API key cannot contain spaces, slashes, # or +.',
    'pt-BR': 'Uma chave de API não pode ter espaços, barras, # ou +.'
  },
  'form.problem.entityTypeRequired': {
    en: 'Enter the entity type the group’s devices get, for example Device.',
    'pt-BR': 'Informe o tipo de entidade dos dispositivos do grupo, por exemplo Device.'
  },
  'form.problem.deviceIdRequired': { en: 'Enter the device id, for example device001.', 'pt-BR': 'Informe o id do dispositivo, por exemplo device001.' },
  'form.problem.deviceIdChars': {
    en: 'A device id cannot contain spaces, slashes, #, +, the at sign or the vertical bar.',
    'pt-BR': 'Um id de dispositivo não pode ter espaços, barras, #, +, arroba ou barra vertical.'
  },
  'form.problem.forbiddenChars': {
    en: 'These characters are not allowed here: < > ( ) ; \' = "',
    'pt-BR': 'Estes caracteres não são permitidos aqui: < > ( ) ; \' = "'
  },
  'form.problem.attributeNeedsName': {
    en: 'Give the attribute a key (object_id) or a name.',
    'pt-BR': 'Dê ao atributo uma chave (object_id) ou um nome.'
  },
  'form.problem.typeRequired': { en: 'Enter a type, for example Number or Text.', 'pt-BR': 'Informe um tipo, por exemplo Number ou Text.' },
  'form.problem.duplicateObjectId': { en: 'The key {id} is used twice.', 'pt-BR': 'A chave {id} aparece duas vezes.' },
  'form.problem.duplicateName': { en: 'The name {name} is used twice.', 'pt-BR': 'O nome {name} aparece duas vezes.' },
  'form.problem.commandNeedsName': { en: 'Give the command a name.', 'pt-BR': 'Dê um nome ao comando.' },
  'form.problem.commandChars': {
    en: 'A command name cannot contain spaces, the at sign, the vertical bar or < > ( ) ; \' = "',
    'pt-BR': 'Um nome de comando não pode ter espaços, arroba, barra vertical ou < > ( ) ; \' = "'
  },
  'form.problem.staticNeedsName': { en: 'Give the static attribute a name.', 'pt-BR': 'Dê um nome ao atributo estático.' },
  'form.problem.notANumber': { en: 'This type needs a number, for example 42 or 3.5.', 'pt-BR': 'Este tipo precisa de um número, por exemplo 42 ou 3.5.' },
  'form.problem.notABoolean': { en: 'Write true or false.', 'pt-BR': 'Escreva true ou false.' },
  'form.problem.notJson': { en: 'This type needs a JSON value, for example [1, 2].', 'pt-BR': 'Este tipo precisa de um valor JSON, por exemplo [1, 2].' }
})
